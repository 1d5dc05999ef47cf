// Swagger UI on the node's own OpenAPI document (a file, not inline: the pages' CSP allows no inline script)
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
