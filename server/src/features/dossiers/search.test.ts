import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest, type TestContext } from '../../../test/app.ts';
import { makeDossier } from '../../../test/fixtures.ts';
import { createWorld, type World } from '../../../test/world.ts';

let t: TestContext;
let w: World;
const names = async (who: keyof World['tokens'], query: string) => {
  const res = await t.app.request(`/api/v1/dossiers?${query}`, w.as(who));
  expect(res.status).toBe(200);
  return ((await res.json()).items as { firstName: string; lastName: string }[]).map((d) => `${d.firstName} ${d.lastName}`);
};

describe('dossier search and Schoolgegevens', () => {
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t.db, t.env, t.clock.now());
    await makeDossier(t.db, w.orgA.id, w.schoolA1.id, { firstName: 'Daan', lastName: 'de Vries', birthDate: '2015-03-04' });
    await makeDossier(t.db, w.orgA.id, w.schoolA2.id, { firstName: 'Vera', lastName: 'Daniëls', birthDate: '2015-03-04' });
    await makeDossier(t.db, w.orgA.id, w.schoolA1.id, { firstName: 'Lotte', lastName: '50%_korting', birthDate: '2016-01-01' });
  });
  afterAll(() => t.close());

  it('finds by the start of a first or last name (any case, every word), by birth date and by BRIN', async () => {
    expect(await names('admin', 'name=da')).toEqual(['Vera Daniëls', 'Daan de Vries']);
    expect(await names('admin', 'name=DAAN%20de')).toEqual(['Daan de Vries']);
    expect(await names('admin', 'name=vries')).toEqual([]); // a prefix, not a part
    expect(await names('admin', 'birthDate=2015-03-04')).toEqual(['Vera Daniëls', 'Daan de Vries']);
    expect(await names('admin', `birthDate=2015-03-04&school=${w.schoolA1.brin.toLowerCase()}`)).toEqual(['Daan de Vries']);
    expect(await names('admin', 'name=50%25_')).toEqual(['Lotte 50%_korting']);
    expect(await names('admin', 'name=5%25')).toEqual([]); // % is literal
    // Visibility still applies: school staff see only their school's children.
    expect(await names('school', 'birthDate=2015-03-04')).toEqual(['Daan de Vries']);
    expect((await t.app.request('/api/v1/dossiers?birthDate=2015-13-01', w.as('admin'))).status).toBe(400);
  });

  it('stores group and contact person, never a BSN', async () => {
    const res = await t.app.request('/api/v1/dossiers', w.as('school', jsonRequest('POST', {
      firstName: 'Ties', lastName: 'Bakker', birthDate: '2016-06-06', schoolBrin: w.schoolA1.brin, schoolGroup: 'groep 4', contactName: 'Mw. Jansen (IB)', contactEmail: 'ib@school.example',
    })));
    expect(res.status).toBe(201);
    const d = await res.json();
    expect(d).toMatchObject({ schoolGroup: 'groep 4', contactName: 'Mw. Jansen (IB)', contactEmail: 'ib@school.example' });
    const patched = await (await t.app.request(`/api/v1/dossiers/${d.id}`, w.as('school', jsonRequest('PATCH', { schoolGroup: 'groep 5' })))).json();
    expect(patched).toMatchObject({ schoolGroup: 'groep 5', contactName: 'Mw. Jansen (IB)' });
    expect((await t.app.request(`/api/v1/dossiers/${d.id}`, w.as('school', jsonRequest('PATCH', { contactEmail: 'geen adres' })))).status).toBe(400);
    const withBsn = await (await t.app.request(`/api/v1/dossiers/${d.id}`, w.as('school', jsonRequest('PATCH', { bsn: '123456782', schoolGroup: 'groep 5' })))).json();
    expect(JSON.stringify(withBsn)).not.toContain('123456782');
  });
});
