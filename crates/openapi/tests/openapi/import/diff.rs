//! Re-sync diffs: added, removed and changed operations, with breaking changes marked.

use sextant_openapi::{diff, parse_str};

const OLD: &str = r#"
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /items:
    get:
      operationId: list_items
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: legacy, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array}
                  total: {type: integer}
    post:
      operationId: create_item
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                price: {type: number}
      responses:
        "201": {description: created}
        "422": {description: invalid}
  /gone:
    delete:
      operationId: remove_gone
      responses:
        "204": {description: gone}
"#;

const NEW: &str = r#"
openapi: 3.1.0
info: {title: Shop, version: "2"}
paths:
  /items:
    get:
      operationId: list_items
      parameters:
        - {name: limit, in: query, required: true, schema: {type: integer}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array}
                  next: {type: string}
    post:
      operationId: create_item
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name, price]
              properties:
                name: {type: string}
                price: {type: string}
                tags: {type: array}
      responses:
        "201": {description: created}
  /health:
    get:
      operationId: health
      responses:
        "200": {description: ok}
"#;

#[test]
fn added_removed_and_changed_operations_with_breaking_marks() {
    let d = diff(&parse_str(OLD).unwrap(), &parse_str(NEW).unwrap());
    assert_eq!(d.added.len(), 1);
    assert_eq!(d.added[0].path, "/health");
    assert_eq!(d.removed.len(), 1);
    assert_eq!(d.removed[0].id, "remove_gone");

    let list = d.changed.iter().find(|c| c.id == "list_items").unwrap();
    let said = |c: &sextant_openapi::OperationChange, text: &str| {
        c.changes
            .iter()
            .find(|x| x.description.contains(text))
            .unwrap_or_else(|| panic!("no change mentioning {text:?} in {:#?}", c.changes))
            .breaking
    };
    assert!(said(list, "\"limit\" is now required"));
    assert!(!said(list, "\"page\" added"));
    assert!(!said(list, "\"legacy\" removed"));
    assert!(
        said(list, "property \"total\" removed"),
        "a client may read total"
    );
    assert!(!said(list, "property \"next\" added"));

    let create = d.changed.iter().find(|c| c.id == "create_item").unwrap();
    assert!(said(create, "\"price\" changed type: number → string"));
    assert!(said(create, "\"price\" is now required") || said(create, "changed type"));
    assert!(!said(create, "\"tags\" added"));
    assert!(said(create, "response 422 removed"));

    assert!(d.breaking_count() >= 5, "{d:#?}");
}

#[test]
fn an_unchanged_spec_has_an_empty_diff() {
    let spec = parse_str(OLD).unwrap();
    let d = diff(&spec, &spec);
    assert!(d.is_empty());
    assert_eq!(d.breaking_count(), 0);
}
