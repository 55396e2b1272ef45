//! Checks that every operation of the ZPA API catalog (`spec/zpa.json`) has an SDK method:
//! a generated one (listed in `zscaler_zpa::generated::OPERATIONS`) or a hand-written one
//! (listed in `HAND_WRITTEN` below).
//!
//! The code generator reads `HAND_WRITTEN` too and generates no method for the operations it
//! lists, so adding a hand-written method means adding its row here and regenerating.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use zscaler_zpa::generated::OPERATIONS;

/// Catalog operations served by hand-written code: (resource, operation, SDK call).
const HAND_WRITTEN: &[(&str, &str, &str)] = &[
    (
        "signin",
        "create",
        "ZpaClient: signs in on the first request",
    ),
    (
        "app_connector_groups",
        "list",
        "zpa.app_connector_groups().list",
    ),
    (
        "app_connector_groups",
        "get",
        "zpa.app_connector_groups().get",
    ),
    (
        "app_connector_groups",
        "create",
        "zpa.app_connector_groups().create",
    ),
    (
        "app_connector_groups",
        "update",
        "zpa.app_connector_groups().update",
    ),
    (
        "app_connector_groups",
        "delete",
        "zpa.app_connector_groups().delete",
    ),
    (
        "application_segments",
        "list",
        "zpa.application_segments().list",
    ),
    (
        "application_segments",
        "get",
        "zpa.application_segments().get",
    ),
    (
        "application_segments",
        "create",
        "zpa.application_segments().create",
    ),
    (
        "application_segments",
        "update",
        "zpa.application_segments().update",
    ),
    (
        "application_segments",
        "delete",
        "zpa.application_segments().delete",
    ),
    ("segment_groups", "list", "zpa.segment_groups().list"),
    ("segment_groups", "get", "zpa.segment_groups().get"),
    ("segment_groups", "create", "zpa.segment_groups().create"),
    ("segment_groups", "update", "zpa.segment_groups().update"),
    ("segment_groups", "delete", "zpa.segment_groups().delete"),
    ("server_groups", "list", "zpa.server_groups().list"),
    ("server_groups", "get", "zpa.server_groups().get"),
    ("server_groups", "create", "zpa.server_groups().create"),
    ("server_groups", "update", "zpa.server_groups().update"),
    ("server_groups", "delete", "zpa.server_groups().delete"),
];

/// Returns every catalog operation as (resource, operation) with its method and path.
fn catalog() -> BTreeMap<(String, String), (String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/zpa.json");
    let text = std::fs::read_to_string(path).expect("the catalog spec/zpa.json is readable");
    let catalog: Value = serde_json::from_str(&text).expect("the catalog is valid JSON");
    let mut operations = BTreeMap::new();
    for resource in catalog["resources"].as_array().expect("resources") {
        let name = resource["name"].as_str().expect("resource name");
        for op in resource["operations"].as_array().expect("operations") {
            let key = (
                name.to_owned(),
                op["name"].as_str().expect("operation name").to_owned(),
            );
            let route = (
                op["method"].as_str().expect("method").to_owned(),
                op["path"].as_str().expect("path").to_owned(),
            );
            operations.insert(key, route);
        }
    }
    operations
}

#[test]
fn every_operation_has_a_method() {
    let catalog = catalog();
    let generated: BTreeSet<(&str, &str)> = OPERATIONS
        .iter()
        .map(|op| (op.resource, op.operation))
        .collect();
    let hand_written: BTreeSet<(&str, &str)> = HAND_WRITTEN
        .iter()
        .map(|(resource, operation, _)| (*resource, *operation))
        .collect();
    let missing: Vec<String> = catalog
        .keys()
        .filter(|(resource, operation)| {
            let key = (resource.as_str(), operation.as_str());
            !generated.contains(&key) && !hand_written.contains(&key)
        })
        .map(|(resource, operation)| format!("{resource}.{operation}"))
        .collect();
    println!(
        "ZPA: {} of {} operations covered ({} generated, {} hand-written)",
        catalog.len() - missing.len(),
        catalog.len(),
        generated.len(),
        hand_written.len()
    );
    assert!(
        missing.is_empty(),
        "{} catalog operations have no SDK method: {missing:?}",
        missing.len()
    );
}

#[test]
fn generated_rows_match_catalog() {
    let catalog = catalog();
    for op in OPERATIONS {
        let key = (op.resource.to_owned(), op.operation.to_owned());
        let Some((method, path)) = catalog.get(&key) else {
            panic!(
                "{}.{} is generated but not in the catalog",
                op.resource, op.operation
            );
        };
        assert_eq!(
            op.method, method,
            "method of {}.{}",
            op.resource, op.operation
        );
        assert_eq!(op.path, path, "path of {}.{}", op.resource, op.operation);
        assert!(
            op.rust_method.starts_with("zpa."),
            "{}.{} names {}",
            op.resource,
            op.operation,
            op.rust_method
        );
    }
}

#[test]
fn hand_written_rows_not_generated() {
    let catalog = catalog();
    for (resource, operation, method) in HAND_WRITTEN {
        let key = ((*resource).to_owned(), (*operation).to_owned());
        assert!(
            catalog.contains_key(&key),
            "{resource}.{operation} ({method}) is not in the catalog"
        );
        assert!(
            !OPERATIONS
                .iter()
                .any(|op| op.resource == *resource && op.operation == *operation),
            "{resource}.{operation} is both hand-written and generated"
        );
    }
}

#[test]
fn hand_written_methods_exist() {
    use zscaler_zpa::app_connector_groups::AppConnectorGroup;
    use zscaler_zpa::application_segments::ApplicationSegment;
    use zscaler_zpa::segment_groups::SegmentGroup;
    use zscaler_zpa::server_groups::ServerGroup;

    // Each call below is a method of the table above, so this file stops compiling when one is
    // renamed or removed. The futures are dropped unpolled: nothing is sent.
    let zpa = zscaler_zpa::ZpaClient::builder()
        .client_id("client")
        .client_secret("not-a-real-secret")
        .customer_id("216196257331281920")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("valid settings");
    let connector_group = AppConnectorGroup::default();
    let segment = ApplicationSegment::default();
    let segment_group = SegmentGroup::default();
    let server_group = ServerGroup::default();
    let (connector_groups, segments) = (zpa.app_connector_groups(), zpa.application_segments());
    let (segment_groups, server_groups) = (zpa.segment_groups(), zpa.server_groups());
    let calls = [
        named(connector_groups.list()),
        named(connector_groups.get("1")),
        named(connector_groups.create(&connector_group)),
        named(connector_groups.update("1", &connector_group)),
        named(connector_groups.delete("1")),
        named(segments.list()),
        named(segments.get("1")),
        named(segments.create(&segment)),
        named(segments.update("1", &segment)),
        named(segments.delete("1")),
        named(segment_groups.list()),
        named(segment_groups.get("1")),
        named(segment_groups.create(&segment_group)),
        named(segment_groups.update("1", &segment_group)),
        named(segment_groups.delete("1")),
        named(server_groups.list()),
        named(server_groups.get("1")),
        named(server_groups.create(&server_group)),
        named(server_groups.update("1", &server_group)),
        named(server_groups.delete("1")),
    ];
    // The sign-in happens inside the client, on the first request, so it has no call here.
    assert_eq!(
        calls.len() + 1,
        HAND_WRITTEN.len(),
        "one call per row of the table"
    );
}

/// Takes a call's future or builder and drops it unused.
fn named<T>(_call: T) {}
