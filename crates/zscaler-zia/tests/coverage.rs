//! Checks that every operation of the ZIA API catalog (`spec/zia.json`) has an SDK method:
//! a generated one (listed in `zscaler_zia::generated::OPERATIONS`) or a hand-written one
//! (listed in `HAND_WRITTEN` below).
//!
//! The code generator reads `HAND_WRITTEN` too and generates no method for the operations it
//! lists, so adding a hand-written method means adding its row here and regenerating.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use zscaler_zia::generated::OPERATIONS;

/// Catalog operations served by hand-written code: (resource, operation, SDK call).
const HAND_WRITTEN: &[(&str, &str, &str)] = &[
    (
        "authenticated_session",
        "create",
        "ZiaClient: logs in on the first request",
    ),
    ("authenticated_session", "delete", "zia.close"),
    ("activation", "get", "zia.activation().status"),
    (
        "activation",
        "create_activation",
        "zia.activation().activate",
    ),
    ("departments", "list", "zia.departments().list"),
    ("departments", "get", "zia.departments().get"),
    ("departments", "create", "zia.departments().create"),
    ("departments", "update", "zia.departments().update"),
    ("departments", "delete", "zia.departments().delete"),
    ("departments", "get_lite", "zia.departments().get_lite"),
    ("departments", "list_lite", "zia.departments().list_lite"),
    ("groups", "list", "zia.groups().list"),
    ("groups", "get", "zia.groups().get"),
    ("groups", "create", "zia.groups().create"),
    ("groups", "update", "zia.groups().update"),
    ("groups", "delete", "zia.groups().delete"),
    ("groups", "list_lite", "zia.groups().list_lite"),
    ("users", "list", "zia.users().list"),
    ("users", "get", "zia.users().get"),
    ("users", "create", "zia.users().create"),
    ("users", "update", "zia.users().update"),
    ("users", "delete", "zia.users().delete"),
    ("users", "bulk_delete", "zia.users().bulk_delete"),
    ("users", "get_all_auditors", "zia.users().auditors"),
    ("users", "get_user_references", "zia.users().references"),
];

/// Returns every catalog operation as (resource, operation) with its method and path.
fn catalog() -> BTreeMap<(String, String), (String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/zia.json");
    let text = std::fs::read_to_string(path).expect("the catalog spec/zia.json is readable");
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
        "ZIA: {} of {} operations covered ({} generated, {} hand-written)",
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
            op.rust_method.starts_with("zia."),
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
    // Each call below is a method of the table above, so this file stops compiling when one is
    // renamed or removed. The futures are dropped unpolled: nothing is sent.
    let zia = zscaler_zia::ZiaClient::builder()
        .username("admin@example.com")
        .password("not-a-real-password")
        .api_key("0123456789abcdef")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("valid settings");
    let (user, group, department) = (
        zscaler_zia::User::default(),
        zscaler_zia::Group::default(),
        zscaler_zia::Department::default(),
    );
    let calls = [
        named(zia.close()),
        named(zia.activation().status()),
        named(zia.activation().activate()),
        named(zia.departments().list()),
        named(zia.departments().get(1)),
        named(zia.departments().create(&department)),
        named(zia.departments().update(1, &department)),
        named(zia.departments().delete(1)),
        named(zia.departments().get_lite(1)),
        named(zia.departments().list_lite()),
        named(zia.groups().list()),
        named(zia.groups().get(1)),
        named(zia.groups().create(&group)),
        named(zia.groups().update(1, &group)),
        named(zia.groups().delete(1)),
        named(zia.groups().list_lite()),
        named(zia.users().list()),
        named(zia.users().get(1)),
        named(zia.users().create(&user)),
        named(zia.users().update(1, &user)),
        named(zia.users().delete(1)),
        named(zia.users().bulk_delete(&[1])),
        named(zia.users().auditors()),
        named(zia.users().references()),
    ];
    // The login happens inside the client, on the first request, so it has no call here.
    assert_eq!(
        calls.len() + 1,
        HAND_WRITTEN.len(),
        "one call per row of the table"
    );
}

/// Takes a call's future or builder and drops it unused.
fn named<T>(_call: T) {}
