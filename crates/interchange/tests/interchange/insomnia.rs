//! Insomnia v4: the hand-written two-workspace export with folders, environments, auth kinds and
//! template syntax.

use sextant_interchange::{import_insomnia, InterchangeError};
use sextant_model::{
    ApiKeyLocation, Auth, Collection, CollectionItem, DigestAlgorithm, Folder, KeyValue,
    MultipartPart, OAuth2Config, OAuth2Grant, PartValue, RequestBody, SavedRequest, Variable,
};

const EXPORT: &str = include_str!("../fixtures/insomnia/weather-export.json");

fn folder(c: &[CollectionItem], i: usize) -> &Folder {
    match &c[i] {
        CollectionItem::Folder(f) => f,
        other => panic!("{other:?}"),
    }
}

fn request(c: &[CollectionItem], i: usize) -> &SavedRequest {
    match &c[i] {
        CollectionItem::Request(r) => r,
        other => panic!("{other:?}"),
    }
}

fn weather() -> Collection {
    import_insomnia(EXPORT).unwrap().value.remove(0)
}

#[test]
fn each_workspace_is_a_collection_in_metasortkey_order() {
    let collections = import_insomnia(EXPORT).unwrap().value;
    let names: Vec<&str> = collections.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Weather API", "Scratch"]);
    let c = &collections[0];
    assert_eq!(folder(&c.items, 0).name, "Forecasts");
    assert_eq!(folder(&c.items, 1).name, "Admin");
    assert_eq!(request(&c.items, 2).name, "Status");
    assert_eq!(request(&c.items, 2).auth, Auth::None);
    let forecasts = folder(&c.items, 0);
    assert_eq!(request(&forecasts.items, 0).name, "Daily forecast");
    assert_eq!(request(&forecasts.items, 1).name, "Subscribe to alerts");
    let echo = request(&collections[1].items, 0);
    assert_eq!(
        echo.request.body,
        RequestBody::Text {
            content_type: "text/plain".into(),
            text: "hello {{name}}".into()
        }
    );
}

#[test]
fn environments_become_variables_with_insomnia_order() {
    let c = weather();
    assert_eq!(
        c.settings.variables,
        [
            Variable::new("baseUrl", "https://api.weather.example.com/v1"),
            Variable::new("city", "Brest"),
            Variable::new("contact.email", "ops@weather.example.com"),
            Variable::new("retries", "3"),
        ]
    );
    assert_eq!(c.environments.len(), 2);
    assert_eq!(c.environments[0].name, "Production");
    assert_eq!(
        c.environments[0].variables,
        [
            Variable::new("token", "{{prodToken}}"),
            Variable::new("units", "imperial")
        ]
    );
    assert_eq!(
        c.environments[1].variables,
        [
            Variable::secret("operatorPassword", "hunter2"),
            Variable::secret("operatorKey", "k-123")
        ],
        "a private environment holds secrets"
    );
    assert_eq!(
        folder(&c.items, 0).settings.variables,
        [Variable::new("units", "metric")]
    );
}

#[test]
fn requests_keep_templates_bodies_and_auth() {
    let c = weather();
    let forecasts = folder(&c.items, 0);
    let daily = request(&forecasts.items, 0);
    assert_eq!(daily.request.url, "{{baseUrl}}/forecast");
    assert_eq!(
        daily.request.query,
        [
            KeyValue::new("city", "{{city}}"),
            KeyValue::new("days", "7"),
            KeyValue {
                enabled: false,
                ..KeyValue::new("lang", "fr")
            },
        ]
    );
    assert_eq!(
        daily.request.headers[1],
        KeyValue::new("X-Request-Id", "{% uuid 'v4' %}")
    );
    assert_eq!(daily.auth, Auth::Inherit);
    assert!(daily.docs.starts_with("Seven days ahead."));

    let subscribe = request(&forecasts.items, 1);
    assert!(subscribe.request.headers.is_empty());
    assert_eq!(
        subscribe.request.body,
        RequestBody::Json {
            text: "{\n  \"city\": \"{{city}}\",\n  \"email\": \"{{contact.email}}\"\n}".into()
        }
    );
    assert_eq!(
        subscribe.auth,
        Auth::Bearer {
            token: "{{token}}".into()
        }
    );
    assert!(!subscribe.request.settings.follow_redirects);

    let admin = folder(&c.items, 1);
    let login = request(&admin.items, 0);
    assert_eq!(
        login.auth,
        Auth::Basic {
            username: "{{operator}}".into(),
            password: "{{operatorPassword}}".into()
        }
    );
    assert_eq!(
        login.request.body,
        RequestBody::Form {
            fields: vec![
                KeyValue::new("user", "{{operator}}"),
                KeyValue {
                    enabled: false,
                    ..KeyValue::new("remember", "1")
                }
            ]
        }
    );
    let station = request(&admin.items, 1);
    assert_eq!(
        station.auth,
        Auth::ApiKey {
            name: "X-Operator-Key".into(),
            value: "{{operatorKey}}".into(),
            location: ApiKeyLocation::Header
        }
    );
    assert_eq!(
        station.request.body,
        RequestBody::Multipart {
            parts: vec![
                MultipartPart {
                    name: "name".into(),
                    enabled: true,
                    value: PartValue::Text {
                        text: "Brest-Guipavas".into()
                    }
                },
                MultipartPart {
                    name: "photo".into(),
                    enabled: true,
                    value: PartValue::File {
                        path: "/Users/ada/Pictures/station.jpg".into(),
                        filename: None,
                        content_type: None
                    },
                },
            ]
        }
    );
    assert!(station.request.headers.is_empty());
    let sync = request(&admin.items, 2);
    assert_eq!(
        sync.auth,
        Auth::OAuth2(Box::new(OAuth2Config {
            grant: OAuth2Grant::ClientCredentials,
            token_url: "https://auth.example.com/token".into(),
            client_id: "weather-admin".into(),
            ..OAuth2Config::default()
        }))
    );
    assert_eq!(
        sync.request.body,
        RequestBody::Text {
            content_type: "text/csv; charset=utf-8".into(),
            text: "station,lat,lon\nBREST,48.44,-4.41\n".into()
        }
    );
}

#[test]
fn what_is_left_behind_is_listed() {
    let w = import_insomnia(EXPORT).unwrap().warnings;
    let mut got: Vec<(String, String)> = w.into_iter().map(|w| (w.location, w.message)).collect();
    got.sort();
    let expected = [
        (
            "Scratch/Chat socket",
            "websocket_request resources are not supported",
        ),
        ("Weather API", "cookie jar's 1 cookies"),
        ("Weather API/Admin", "folder's description"),
        (
            "Weather API/Admin/Register station",
            "local file /Users/ada/Pictures/station.jpg outside the collection's folder",
        ),
        ("Weather API/Forecasts/Daily forecast", "{% uuid 'v4' %}"),
    ];
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for ((location, message), (want_location, needle)) in got.iter().zip(expected) {
        assert_eq!(location, want_location);
        assert!(message.contains(needle), "{message}");
    }
}

#[test]
fn other_files_and_versions_are_refused() {
    let v3 = r#"{"_type":"export","__export_format":3,"resources":[]}"#;
    assert!(matches!(
        import_insomnia(v3),
        Err(InterchangeError::UnsupportedVersion { .. })
    ));
    let postman = r#"{"info":{"name":"x"},"item":[]}"#;
    assert!(matches!(
        import_insomnia(postman),
        Err(InterchangeError::WrongFormat { .. })
    ));
    let empty = r#"{"_type":"export","__export_format":4,"resources":[]}"#;
    assert!(matches!(
        import_insomnia(empty),
        Err(InterchangeError::WrongFormat { .. })
    ));
    assert!(matches!(
        import_insomnia("{\"_type\": \"export\",\n"),
        Err(InterchangeError::InvalidJson { line: 2, .. })
    ));
}

#[test]
fn orphans_are_reported() {
    let text = r#"{"_type":"export","__export_format":4,"resources":[
      {"_id":"wrk_1","parentId":null,"name":"W","_type":"workspace"},
      {"_id":"req_1","parentId":"fld_missing","name":"Lost","url":"http://h/","method":"GET","_type":"request"}]}"#;
    let imported = import_insomnia(text).unwrap();
    assert!(imported.value[0].items.is_empty());
    assert_eq!(imported.warnings.len(), 1);
    assert!(imported.warnings[0]
        .message
        .contains("1 resources belong to no workspace"));
}

#[test]
fn digest_iam_and_cookie_api_keys_are_imported() {
    let export = r#"{"_type":"export","__export_format":4,"resources":[
      {"_id":"wrk_1","_type":"workspace","name":"Signed"},
      {"_id":"req_1","_type":"request","parentId":"wrk_1","name":"d","method":"GET","url":"https://h/d",
       "authentication":{"type":"digest","username":"ada","password":"{{ _.pw }}"}},
      {"_id":"req_2","_type":"request","parentId":"wrk_1","name":"a","method":"GET","url":"https://h/a",
       "authentication":{"type":"iam","accessKeyId":"AKID","secretAccessKey":"{{ _.secret }}","sessionToken":"","region":"eu-west-1","service":"s3"}},
      {"_id":"req_3","_type":"request","parentId":"wrk_1","name":"c","method":"GET","url":"https://h/c",
       "authentication":{"type":"apikey","key":"session","value":"s-1","addTo":"cookie"}}
    ]}"#;
    let imported = import_insomnia(export).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let items = &imported.value[0].items;
    let auths: Vec<&Auth> = (0..3).map(|i| &request(items, i).auth).collect();
    assert_eq!(
        *auths[0],
        Auth::Digest {
            username: "ada".into(),
            password: "{{pw}}".into(),
            algorithm: DigestAlgorithm::Auto,
        }
    );
    assert_eq!(
        *auths[1],
        Auth::AwsSigV4 {
            access_key: "AKID".into(),
            secret_key: "{{secret}}".into(),
            session_token: String::new(),
            region: "eu-west-1".into(),
            service: "s3".into(),
        }
    );
    assert_eq!(
        *auths[2],
        Auth::ApiKey {
            name: "session".into(),
            value: "s-1".into(),
            location: ApiKeyLocation::Cookie,
        }
    );
}
