//! A spec as a collection: one saved request per operation, folders by tag, `{{baseUrl}}`,
//! path parameters and server variables as variables, credentials as auth.

use sextant_model::{
    ApiKeyLocation, Auth, Collection, CollectionItem, OAuth2Config, OAuth2Grant, SavedRequest,
    Variable,
};
use sextant_openapi::to_collection;

use crate::support::import;

fn folder<'a>(c: &'a Collection, name: &str) -> &'a [CollectionItem] {
    c.items
        .iter()
        .find_map(|i| match i {
            CollectionItem::Folder(f) if f.name == name => Some(f.items.as_slice()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no folder {name}"))
}

fn request<'a>(items: &'a [CollectionItem], name: &str) -> &'a SavedRequest {
    items
        .iter()
        .find_map(|i| match i {
            CollectionItem::Request(r) if r.name == name => Some(r),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no request {name}"))
}

#[test]
fn demo_api_becomes_one_request_per_operation_in_tag_folders() {
    let spec = import("fastapi-demo.json");
    let c = to_collection(&spec, Some("http://127.0.0.1:8000/openapi.json"));
    assert_eq!(c.name, "Sextant Demo API");
    let names: Vec<&str> = c
        .items
        .iter()
        .map(|i| match i {
            CollectionItem::Folder(f) => f.name.as_str(),
            CollectionItem::Request(r) => r.name.as_str(),
        })
        .collect();
    assert_eq!(
        names,
        [
            "items",
            "files",
            "streaming",
            "cookies",
            "redirects",
            "misc"
        ]
    );
    let total: usize = c
        .items
        .iter()
        .map(|i| match i {
            CollectionItem::Folder(f) => f.items.len(),
            CollectionItem::Request(_) => 1,
        })
        .sum();
    assert_eq!(total, spec.operations.len());
    // No servers in the document: the base URL is where it was fetched from.
    assert_eq!(
        c.settings.variables,
        vec![Variable::new("baseUrl", "http://127.0.0.1:8000")]
    );

    let get = request(folder(&c, "items"), "Get an item");
    assert_eq!(get.request.method, "GET");
    assert_eq!(get.request.url, "{{baseUrl}}/items/{{item_id}}");
    assert_eq!(get.variables.len(), 1);
    assert_eq!(get.variables[0].name, "item_id");
    assert!(!get.variables[0].value.is_empty());
    assert_eq!(get.auth, Auth::Inherit);
}

#[test]
fn server_variables_become_collection_variables_and_api_keys_auth() {
    let spec = import("fastapi-shop-3.1.json");
    let c = to_collection(&spec, None);
    assert_eq!(
        c.settings.variables,
        vec![
            Variable::new("baseUrl", "https://{{region}}.shop.example.com/api"),
            Variable::new("region", "eu"),
            Variable {
                secret: true,
                ..Variable::new("apiKey", "")
            },
            Variable::new("clientId", ""),
            Variable {
                secret: true,
                ..Variable::new("username", "")
            },
            Variable {
                secret: true,
                ..Variable::new("password", "")
            },
        ]
    );
    let list = request(folder(&c, "products"), "List Products");
    assert!(list.request.url.starts_with("{{baseUrl}}/products"));
    assert_eq!(
        list.auth,
        Auth::ApiKey {
            name: "X-API-Key".into(),
            value: "{{apiKey}}".into(),
            location: ApiKeyLocation::Header,
        }
    );
    assert!(
        !list
            .request
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("x-api-key")),
        "credentials go to auth, not to a header row"
    );
    // FastAPI's OAuth2PasswordBearer: the password grant at `tokenUrl: "token"`, relative to
    // the server, so under `{{baseUrl}}`; the operation's scope; the user's fields variables.
    let create = request(folder(&c, "products"), "Create Product");
    let Auth::OAuth2(config) = &create.auth else {
        panic!("{:?}", create.auth);
    };
    assert_eq!(
        **config,
        OAuth2Config {
            grant: OAuth2Grant::Password,
            token_url: "{{baseUrl}}/token".into(),
            client_id: "{{clientId}}".into(),
            username: "{{username}}".into(),
            password: "{{password}}".into(),
            scopes: vec!["products:write".into()],
            ..OAuth2Config::default()
        }
    );
    assert!(create.variables.iter().all(|v| v.name != "clientId"));
}
