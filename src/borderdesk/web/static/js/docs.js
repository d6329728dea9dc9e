/* Swagger UI over /openapi.json, from the vendored swagger-ui-dist (no CDN, no validator call-out). */
(function () {
  "use strict";
  if (typeof SwaggerUIBundle !== "function") { return; }
  SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false
  });
})();
