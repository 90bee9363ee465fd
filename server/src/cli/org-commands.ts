import { AppError } from '../lib/errors.ts';
import { createOrganisation, findOrganisationByCode } from '../features/organisations/service.ts';
import { createSchool } from '../features/organisations/schools.ts';
import { required, type CliCommand } from './context.ts';

export const orgCommands: Record<string, CliCommand> = {
  'org:create': {
    usage: 'org:create --code PO2507 --name Stromenland',
    summary: 'Create an organisation (samenwerkingsverband)',
    options: ['code', 'name'],
    async run(ctx, options) {
      const org = await createOrganisation(ctx.db, { code: required(options, 'code'), name: required(options, 'name') });
      ctx.out(`Organisation ${org.code} ${org.name} created.`);
    },
  },
  'school:create': {
    usage: 'school:create --org PO2507 --brin 12AB00 --name "De Regenboog" --city Nijmegen',
    summary: 'Add a school (by BRIN) to an organisation',
    options: ['org', 'brin', 'name', 'city'],
    async run(ctx, options) {
      const code = required(options, 'org');
      const org = await findOrganisationByCode(ctx.db, code);
      if (!org) throw new AppError('not_found', `Organisation ${code.toUpperCase()} does not exist (create it with org:create).`);
      const school = await createSchool(ctx.db, org.id, {
        brin: required(options, 'brin'),
        name: required(options, 'name'),
        city: typeof options.city === 'string' ? options.city : '',
      });
      ctx.out(`School ${school.brin} ${school.name}${school.city ? ` (${school.city})` : ''} added to ${org.code} ${org.name}.`);
    },
  },
};
