// The API's documentation page (docs/api.md): Swagger UI, served from this server, reads the schema whose
// address the page names. A file, not inline script, so the page keeps the strict Content-Security-Policy.
(function () {
  var node = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: node.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    supportedSubmitMethods: [],
  });
})();
