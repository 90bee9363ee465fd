// Starts Swagger UI on /docs (served from the server itself, under a CSP that allows only its
// own scripts). "Authorize" takes a Bearer token: an API token (`kk_…`) or a session token from
// POST /api/v1/auth/login.
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  validatorUrl: null,
  persistAuthorization: false,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 1,
  docExpansion: 'list',
  filter: true,
});
