// Starts Swagger UI on Ancre's OpenAPI document (/docs). A file of its own: the page's
// Content-Security-Policy allows no inline script.
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
