//! Generated tenants: ZIA users with departments and groups, and ZPA application segments with
//! segment groups, server groups and app connector groups. The same seed gives the same data.

use serde_json::{Value, json};

use crate::store::{Collection, ProductStore};
use crate::zpa::resources::ADMIN_ID;

const FIRST_NAMES: [&str; 24] = [
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara",
    "Liam", "Maya", "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera",
    "Wei", "Yara",
];

const LAST_NAMES: [&str; 24] = [
    "Abbott", "Baker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Quint", "Rossi",
    "Schmidt", "Tanaka", "Ueda", "Varga", "Weber", "Zhang",
];

const TEAMS: [&str; 16] = [
    "Engineering",
    "Finance",
    "Sales",
    "Marketing",
    "Support",
    "Legal",
    "Operations",
    "Research",
    "Security",
    "Facilities",
    "Procurement",
    "Design",
    "Data",
    "Platform",
    "People",
    "Training",
];

const APP_WORDS: [&str; 16] = [
    "crm", "erp", "wiki", "git", "ci", "hr", "billing", "payroll", "intranet", "jira", "vault",
    "grafana", "ldap", "backup", "reports", "portal",
];

const CITIES: [(&str, &str, &str, &str); 6] = [
    ("San Jose, US", "US", "37.3382", "-121.8863"),
    ("Frankfurt, DE", "DE", "50.1109", "8.6821"),
    ("London, GB", "GB", "51.5072", "-0.1276"),
    ("Singapore, SG", "SG", "1.3521", "103.8198"),
    ("Sydney, AU", "AU", "-33.8688", "151.2093"),
    ("Sao Paulo, BR", "BR", "-23.5558", "-46.6396"),
];

/// Creation time of generated ZPA objects, in Unix seconds.
const GENERATED_EPOCH: u64 = 1_700_000_000;

fn reference(item: &Value) -> Value {
    json!({"id": item["id"].clone(), "name": item["name"].clone()})
}

fn collection_of(items: Vec<Value>) -> Collection {
    let mut collection = Collection::new("id");
    for item in items {
        collection.upsert(item);
    }
    collection
}

/// Replaces `/users`, `/departments` and `/groups` with `users` generated users, one
/// department per 200 users and one group per 50 (at least one of each).
pub(crate) fn zia_users(store: &mut ProductStore, users: usize, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x0051_a05e);
    let department_count = users.div_ceil(200).max(1);
    let group_count = users.div_ceil(50).max(1);

    let departments: Vec<Value> = (0..department_count)
        .map(|index| {
            let team = TEAMS[index % TEAMS.len()];
            json!({
                "id": store.allocate_id(),
                "name": format!("{team} {:03}", index + 1),
                "idpId": 0,
                "comments": format!("Generated department of the {team} team"),
                "deleted": false
            })
        })
        .collect();
    let groups: Vec<Value> = (0..group_count)
        .map(|index| {
            let team = TEAMS[rng.usize(..TEAMS.len())];
            json!({
                "id": store.allocate_id(),
                "name": format!("{team} group {:04}", index + 1),
                "idpId": 0,
                "comments": format!("Generated group {}", index + 1),
                "isSystemDefined": false
            })
        })
        .collect();

    let mut generated = Vec::with_capacity(users);
    for index in 0..users {
        let first = FIRST_NAMES[rng.usize(..FIRST_NAMES.len())];
        let last = LAST_NAMES[rng.usize(..LAST_NAMES.len())];
        let email = format!(
            "{}.{}{}@corp.example",
            first.to_lowercase(),
            last.to_lowercase(),
            index + 1
        );
        let department = &departments[rng.usize(..departments.len())];
        let group_refs: Vec<Value> = (0..rng.usize(1..=3))
            .map(|_| reference(&groups[rng.usize(..groups.len())]))
            .collect();
        let admin = rng.u32(..100) < 2;
        let mut user = json!({
            "id": store.allocate_id(),
            "name": format!("{first} {last}"),
            "email": email,
            "groups": group_refs,
            "department": reference(department),
            "comments": format!("Generated user {}", index + 1),
            "tempAuthEmail": if rng.u32(..10) == 0 { email.clone() } else { String::new() },
            "adminUser": admin,
            "deleted": false
        });
        if admin {
            user["type"] = json!("ADMIN");
        } else if rng.u32(..100) == 0 {
            user["type"] = json!("GUEST");
        }
        generated.push(user);
    }

    store
        .collections
        .insert("/departments".to_string(), collection_of(departments));
    store
        .collections
        .insert("/groups".to_string(), collection_of(groups));
    store
        .collections
        .insert("/users".to_string(), collection_of(generated));
}

fn zpa_times(rng: &mut fastrand::Rng) -> (String, String) {
    let created = GENERATED_EPOCH + rng.u64(..10_000_000);
    let modified = created + rng.u64(..1_000_000);
    (created.to_string(), modified.to_string())
}

/// Replaces `/application`, `/segmentGroup`, `/serverGroup` and `/appConnectorGroup` with
/// `segments` generated application segments, one segment group per 20 segments, one server
/// group per 10 and one app connector group per 100 (at least one of each).
pub(crate) fn zpa_segments(store: &mut ProductStore, segments: usize, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x00a9_5e91);
    let connector_group_count = segments.div_ceil(100).max(1);
    let server_group_count = segments.div_ceil(10).max(1);
    let segment_group_count = segments.div_ceil(20).max(1);

    let mut connector_groups = Vec::with_capacity(connector_group_count);
    for index in 0..connector_group_count {
        let (city, country, latitude, longitude) = CITIES[index % CITIES.len()];
        let (created, modified) = zpa_times(&mut rng);
        connector_groups.push(json!({
            "id": store.allocate_id().to_string(),
            "name": format!("connectors-{}-{:03}", country.to_lowercase(), index + 1),
            "description": format!("Generated app connector group in {city}"),
            "enabled": true,
            "cityCountry": city,
            "countryCode": country,
            "latitude": latitude,
            "longitude": longitude,
            "location": city,
            "dnsQueryType": "IPV4_IPV6",
            "upgradeDay": "SUNDAY",
            "upgradeTimeInSecs": "66600",
            "versionProfileId": "0",
            "versionProfileName": "Default",
            "overrideVersionProfile": false,
            "praEnabled": false,
            "wafDisabled": true,
            "tcpQuickAckApp": false,
            "tcpQuickAckAssistant": false,
            "tcpQuickAckReadAssistant": false,
            "useInDrMode": false,
            "lssAppConnectorGroup": false,
            "connectorGroupType": "APP_CONNECTOR_GROUP",
            "creationTime": created,
            "modifiedTime": modified,
            "modifiedBy": ADMIN_ID,
            "microtenantName": "Default"
        }));
    }

    let mut server_groups = Vec::with_capacity(server_group_count);
    for index in 0..server_group_count {
        let connector = reference(&connector_groups[rng.usize(..connector_groups.len())]);
        let (created, modified) = zpa_times(&mut rng);
        server_groups.push(json!({
            "id": store.allocate_id().to_string(),
            "name": format!("servers-{:04}", index + 1),
            "description": format!("Generated server group {}", index + 1),
            "enabled": true,
            "ipAnchored": false,
            "configSpace": "DEFAULT",
            "dynamicDiscovery": true,
            "extranetEnabled": false,
            "appConnectorGroups": [connector],
            "servers": [],
            "creationTime": created,
            "modifiedTime": modified,
            "modifiedBy": ADMIN_ID,
            "microtenantName": "Default"
        }));
    }

    let mut segment_groups = Vec::with_capacity(segment_group_count);
    for index in 0..segment_group_count {
        let (created, modified) = zpa_times(&mut rng);
        let team = TEAMS[index % TEAMS.len()];
        segment_groups.push(json!({
            "id": store.allocate_id().to_string(),
            "name": format!("{} apps {:03}", team, index + 1),
            "description": format!("Generated segment group for {team}"),
            "enabled": true,
            "configSpace": "DEFAULT",
            "policyMigrated": true,
            "tcpKeepAliveEnabled": "0",
            "applications": [],
            "creationTime": created,
            "modifiedTime": modified,
            "modifiedBy": ADMIN_ID,
            "microtenantName": "Default"
        }));
    }

    let mut applications = Vec::with_capacity(segments);
    for index in 0..segments {
        let word = APP_WORDS[rng.usize(..APP_WORDS.len())];
        let group_index = rng.usize(..segment_groups.len());
        let servers: Vec<Value> = (0..rng.usize(1..=2))
            .map(|_| reference(&server_groups[rng.usize(..server_groups.len())]))
            .collect();
        let port: u16 = [443, 80, 22, 3389, 8443, 5432][rng.usize(..6)];
        let upper = if rng.bool() {
            port
        } else {
            port.saturating_add(10)
        };
        let (created, modified) = zpa_times(&mut rng);
        let name = format!("{word}-{:05}", index + 1);
        let segment = json!({
            "id": store.allocate_id().to_string(),
            "name": name,
            "description": format!("Generated application segment {}", index + 1),
            "domainNames": [format!("{name}.corp.example"), format!("{word}{}.internal.example", index + 1)],
            "enabled": rng.u32(..10) != 0,
            "tcpPortRanges": [port.to_string(), upper.to_string()],
            "tcpPortRange": [{"from": port.to_string(), "to": upper.to_string()}],
            "udpPortRanges": [],
            "segmentGroupId": segment_groups[group_index]["id"].clone(),
            "segmentGroupName": segment_groups[group_index]["name"].clone(),
            "serverGroups": servers,
            "bypassType": "NEVER",
            "configSpace": "DEFAULT",
            "doubleEncrypt": false,
            "healthCheckType": "DEFAULT",
            "healthReporting": "ON_ACCESS",
            "icmpAccessType": "NONE",
            "ipAnchored": false,
            "isCnameEnabled": true,
            "passiveHealthEnabled": true,
            "matchStyle": "EXCLUSIVE",
            "tcpKeepAlive": "0",
            "creationTime": created,
            "modifiedTime": modified,
            "modifiedBy": ADMIN_ID,
            "microtenantName": "Default",
            // Fields that no SDK model declares, to check that clients keep them on updates.
            "simRiskScore": rng.u32(..100).to_string(),
            "simOwnerTeam": {"name": TEAMS[rng.usize(..TEAMS.len())], "onCall": rng.bool()}
        });
        if let Some(apps) = segment_groups[group_index]["applications"].as_array_mut() {
            apps.push(reference(&segment));
        }
        applications.push(segment);
    }

    store.collections.insert(
        "/appConnectorGroup".to_string(),
        collection_of(connector_groups),
    );
    store
        .collections
        .insert("/serverGroup".to_string(), collection_of(server_groups));
    store
        .collections
        .insert("/segmentGroup".to_string(), collection_of(segment_groups));
    store
        .collections
        .insert("/application".to_string(), collection_of(applications));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ZIA_FIRST_ID, ZPA_FIRST_ID};

    #[test]
    fn zia_generation_counts() {
        let mut store = ProductStore::new(ZIA_FIRST_ID);
        zia_users(&mut store, 1_000, 9);
        assert_eq!(store.collections["/users"].items.len(), 1_000);
        assert_eq!(store.collections["/departments"].items.len(), 5);
        assert_eq!(store.collections["/groups"].items.len(), 20);
    }

    #[test]
    fn generation_repeats_for_seed() {
        let run = |seed| {
            let mut store = ProductStore::new(ZPA_FIRST_ID);
            zpa_segments(&mut store, 50, seed);
            store.collections["/application"]
                .items
                .values()
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(run(5), run(5));
        assert_ne!(run(5), run(6));
    }
}
