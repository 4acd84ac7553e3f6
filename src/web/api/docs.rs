//! The OpenAPI 3.1 document, generated from the handlers and types by utoipa, and the
//! docs page for integrators (Swagger UI, vendored under `assets/vendor/swagger-ui/`).

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{challenges, missions, network, orders, points, sell_in, sell_out};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Relais integration API",
        version = "1",
        description = "JSON API for ERP, CRM and e-commerce connectors. Send requests to your \
programme's own address (the host names the programme), with an API key created by an \
admin (Admin → API keys, or `relais api-key create`) as `Authorization: Bearer <key>`. \
Every POST accepts an `Idempotency-Key` header. Every failure answers \
`{\"error\": {\"code\", \"message\", \"fields\": [{\"field\", \"message\"}]}}`. Lists are \
paged with an opaque `cursor` (the previous page's `next_cursor`). Each key is limited \
in requests per minute (429 with `Retry-After`)."
    ),
    paths(
        sell_in::upload,
        sell_out::create,
        sell_out::list,
        sell_out::show,
        network::partners,
        network::upsert_partners,
        network::partner,
        network::deactivate_partner,
        network::products,
        network::upsert_products,
        network::product,
        network::deactivate_product,
        network::participants,
        network::upsert_participants,
        network::participant,
        network::deactivate_participant,
        points::statement,
        missions::list,
        missions::show,
        missions::of_participant,
        challenges::list,
        challenges::show,
        challenges::of_participant,
        orders::list,
        orders::show,
        orders::set_status,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "sell-in", description = "What the brand sold to its partners (scope `sell-in`)."),
        (name = "sell-out", description = "Sales declared by participants (scope `sell-out`)."),
        (name = "network", description = "Partners, products and participants (scope `network`)."),
        (name = "points", description = "Participants' balances and statements (scope `read`)."),
        (name = "missions", description = "Missions, and each participant's progress in them (scope `read`)."),
        (name = "challenges", description = "Challenges, and each participant's score and rank (scope `read`)."),
        (name = "orders", description = "Reward orders and their fulfilment (scope `fulfilment`)."),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "An API key of the programme (scopes: read, sell-in, sell-out, \
                             network, fulfilment).",
                        ))
                        .build(),
                ),
            );
        }
    }
}

/// The document as JSON.
pub fn document() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_json()
}

pub async fn openapi() -> Result<HttpResponse, super::ApiError> {
    let json = document().map_err(super::ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(json))
}

/// The docs page: Swagger UI reading `/api/v1/openapi.json`, from Relais's own assets.
pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(DOCS_HTML.replace("{viewer}", VIEWER))
}

/// Where the vendored viewer is (a folder per version: assets are cached as immutable).
const VIEWER: &str = "/assets/vendor/swagger-ui-5.35.0";

const DOCS_HTML: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relais integration API</title>
<link rel="stylesheet" href="{viewer}/swagger-ui.css">
</head>
<body>
<main>
<h1 class="visually-hidden">Relais integration API</h1>
<noscript><p>This page shows the API with JavaScript. Without it, read the
<a href="/api/v1/openapi.json">OpenAPI document</a>.</p></noscript>
<div id="swagger-ui"></div>
</main>
<script src="{viewer}/swagger-ui-bundle.js"></script>
<script src="{viewer}/relais-init.js"></script>
</body>
</html>
"#;
