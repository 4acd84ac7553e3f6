// Relais: starts Swagger UI on the served OpenAPI document (a file, not an inline
// script, so that the Content-Security-Policy's script-src 'self' holds).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    validatorUrl: null,
  });
});
