//! End-to-end checks of the simulated ZIA API: login, sessions, pagination, ids, writes,
//! activation, the edit lock and the special operations.

mod common;

use std::time::Duration;

use common::{client, json_of, zia, zia_login, zia_login_response};
use serde_json::{Value, json};
use zscaler_sim::{Simulator, ZiaCredentials};

#[tokio::test]
async fn login_sets_session_cookie() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let response = zia_login_response(&sim, &client).await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("text")
        .to_string();
    assert!(cookie.starts_with("JSESSIONID="));
    assert!(cookie.contains("Path=/"));
    assert!(cookie.contains("Secure"));
    assert!(cookie.contains("HttpOnly"));
    let body = json_of(response).await;
    assert_eq!(body["authType"], "ADMIN_LOGIN");
    assert_eq!(body["obfuscateApiKey"], true);
}

#[tokio::test]
async fn login_rejects_wrong_key() {
    let credentials = ZiaCredentials {
        username: "admin@example.com".to_string(),
        password: "secret".to_string(),
        api_key: "0123456789abcdef".to_string(),
    };
    let sim = Simulator::builder()
        .zia_credentials(credentials)
        .start()
        .await
        .expect("start");
    let client = client();
    let login = |api_key: &'static str| {
        client
            .post(format!("{}/api/v1/authenticatedSession", sim.base_url()))
            .json(&json!({
                "apiKey": api_key,
                "username": "admin@example.com",
                "password": "secret",
                "timestamp": "1700000123456"
            }))
            .send()
    };
    let accepted = login("12345628394a").await.expect("request");
    assert_eq!(accepted.status(), 200);
    let rejected = login("0123456789ab").await.expect("request");
    assert_eq!(rejected.status(), 401);
    assert_eq!(json_of(rejected).await["code"], "AUTHENTICATION_FAILED");
}

#[tokio::test]
async fn calls_need_session() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let response = zia(&client, &sim, "JSESSIONID=unknown", "GET", "/users", None).await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        json_of(response).await,
        json!({"code": "SESSION_NOT_VALID", "message": "Session is not valid"})
    );
}

#[tokio::test]
async fn session_expires_when_idle() {
    let sim = Simulator::builder()
        .zia_session_idle_timeout(Duration::from_millis(400))
        .start()
        .await
        .expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let response = zia(&client, &sim, &cookie, "GET", "/status", None).await;
        assert_eq!(
            response.status(),
            200,
            "use within the idle timeout keeps the session"
        );
    }
    tokio::time::sleep(Duration::from_millis(600)).await;
    let response = zia(&client, &sim, &cookie, "GET", "/status", None).await;
    assert_eq!(response.status(), 401);
    assert_eq!(json_of(response).await["code"], "SESSION_NOT_VALID");
}

#[tokio::test]
async fn invalidated_sessions_answer_401() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    sim.invalidate_zia_sessions();
    let response = zia(&client, &sim, &cookie, "GET", "/users", None).await;
    assert_eq!(response.status(), 401);
    let fresh = zia_login(&sim, &client).await;
    let response = zia(&client, &sim, &fresh, "GET", "/users", None).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn session_check_and_logout() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    let check = zia(&client, &sim, &cookie, "GET", "/authenticatedSession", None).await;
    assert_eq!(check.status(), 200);
    let logout = zia(
        &client,
        &sim,
        &cookie,
        "DELETE",
        "/authenticatedSession",
        None,
    )
    .await;
    assert_eq!(logout.status(), 204);
    let after = zia(&client, &sim, &cookie, "GET", "/authenticatedSession", None).await;
    assert_eq!(after.status(), 401);
}

async fn list_len(client: &reqwest::Client, sim: &Simulator, cookie: &str, path: &str) -> usize {
    let response = zia(client, sim, cookie, "GET", path, None).await;
    assert_eq!(response.status(), 200, "GET {path}");
    json_of(response)
        .await
        .as_array()
        .unwrap_or_else(|| panic!("GET {path} answers a bare array"))
        .len()
}

#[tokio::test]
async fn users_pages_and_cap() {
    let sim = Simulator::builder()
        .zia_users(12_000)
        .start()
        .await
        .expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    assert_eq!(
        list_len(&client, &sim, &cookie, "/users").await,
        100,
        "default page size"
    );
    assert_eq!(
        list_len(&client, &sim, &cookie, "/users?page=2&pageSize=250").await,
        250
    );
    assert_eq!(
        list_len(&client, &sim, &cookie, "/users?page=1&pageSize=50000").await,
        10_000,
        "capped at the users maximum"
    );
    assert_eq!(
        list_len(&client, &sim, &cookie, "/users?page=2&pageSize=10000").await,
        2_000
    );
    assert_eq!(
        list_len(&client, &sim, &cookie, "/users?page=3&pageSize=10000").await,
        0
    );
}

#[tokio::test]
async fn pages_do_not_overlap() {
    let sim = Simulator::builder()
        .zia_users(30)
        .start()
        .await
        .expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    let mut ids = Vec::new();
    for page in 1..=4 {
        let response = zia(
            &client,
            &sim,
            &cookie,
            "GET",
            &format!("/users?page={page}&pageSize=8"),
            None,
        )
        .await;
        let body = json_of(response).await;
        ids.extend(
            body.as_array()
                .expect("array")
                .iter()
                .map(|user| user["id"].clone()),
        );
    }
    let expected: Vec<Value> = sim
        .zia_collection("/users")
        .iter()
        .map(|user| user["id"].clone())
        .collect();
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn other_endpoint_caps() {
    let sim = Simulator::builder()
        .recorded_seed(false)
        .start()
        .await
        .expect("start");
    for index in 0..1_200 {
        sim.zia_insert("/departments", json!({"name": format!("dept {index}")}));
        sim.zia_insert(
            "/urlFilteringRules",
            json!({"name": format!("rule {index}")}),
        );
    }
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    assert_eq!(
        list_len(&client, &sim, &cookie, "/departments?pageSize=5000").await,
        1_000
    );
    assert_eq!(
        list_len(&client, &sim, &cookie, "/urlFilteringRules?pageSize=5000").await,
        100
    );
}

#[tokio::test]
async fn unpaged_endpoint_ignores_page() {
    let sim = Simulator::builder()
        .recorded_seed(false)
        .start()
        .await
        .expect("start");
    for index in 0..150 {
        sim.zia_insert(
            "/urlCategories",
            json!({"id": format!("CUSTOM_{index:02}"), "configuredName": "c"}),
        );
    }
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    assert_eq!(
        list_len(&client, &sim, &cookie, "/urlCategories").await,
        150
    );
    assert_eq!(
        list_len(&client, &sim, &cookie, "/urlCategories?page=2&pageSize=10").await,
        150
    );
}

#[tokio::test]
async fn create_assigns_increasing_ids() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    let first = json_of(
        zia(
            &client,
            &sim,
            &cookie,
            "POST",
            "/ruleLabels",
            Some(json!({"name": "a"})),
        )
        .await,
    )
    .await;
    let second = json_of(
        zia(
            &client,
            &sim,
            &cookie,
            "POST",
            "/ruleLabels",
            Some(json!({"name": "b"})),
        )
        .await,
    )
    .await;
    let first_id = first["id"].as_u64().expect("integer id");
    let second_id = second["id"].as_u64().expect("integer id");
    assert!(second_id > first_id);

    let category = zia(
        &client,
        &sim,
        &cookie,
        "POST",
        "/urlCategories",
        Some(json!({"configuredName": "Sim", "customCategory": true, "urls": ["a.example"]})),
    )
    .await;
    assert_eq!(category.status(), 200);
    let category = json_of(category).await;
    let id = category["id"].as_str().expect("string id");
    assert!(id.starts_with("CUSTOM_"), "id {id}");

    let recorded_max = sim
        .zia_collection("/urlCategories")
        .iter()
        .filter_map(|item| {
            item["id"]
                .as_str()?
                .strip_prefix("CUSTOM_")?
                .parse::<u32>()
                .ok()
        })
        .max()
        .expect("custom categories exist");
    assert_eq!(id, format!("CUSTOM_{recorded_max:02}"));
}

#[tokio::test]
async fn put_replaces_and_delete_removes() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    let created = json_of(
        zia(
            &client,
            &sim,
            &cookie,
            "POST",
            "/timeIntervals",
            Some(json!({"name": "t", "startTime": 1})),
        )
        .await,
    )
    .await;
    let id = created["id"].as_u64().expect("id");

    let path = format!("/timeIntervals/{id}");
    let replaced = zia(
        &client,
        &sim,
        &cookie,
        "PUT",
        &path,
        Some(json!({"name": "u"})),
    )
    .await;
    assert_eq!(replaced.status(), 200);
    assert_eq!(json_of(replaced).await, json!({"name": "u", "id": id}));
    let read = json_of(zia(&client, &sim, &cookie, "GET", &path, None).await).await;
    assert_eq!(read.get("startTime"), None, "PUT is a full replace");

    let deleted = zia(&client, &sim, &cookie, "DELETE", &path, None).await;
    assert_eq!(deleted.status(), 204);
    let missing = zia(&client, &sim, &cookie, "GET", &path, None).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        json_of(missing).await,
        json!({"code": "RESOURCE_NOT_FOUND", "message": "Resource not found"})
    );
}

#[tokio::test]
async fn writes_stage_until_activation() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    assert_eq!(sim.zia_activation_status(), "ACTIVE");
    zia(
        &client,
        &sim,
        &cookie,
        "POST",
        "/ruleLabels",
        Some(json!({"name": "a"})),
    )
    .await;
    assert_eq!(sim.zia_activation_status(), "PENDING");

    let status = json_of(zia(&client, &sim, &cookie, "GET", "/status", None).await).await;
    assert_eq!(status, json!({"status": "PENDING"}));
    let activated = zia(&client, &sim, &cookie, "POST", "/status/activate", None).await;
    assert_eq!(json_of(activated).await, json!({"status": "ACTIVE"}));
    assert_eq!(sim.zia_activation_status(), "ACTIVE");
    zia(
        &client,
        &sim,
        &cookie,
        "POST",
        "/ruleLabels",
        Some(json!({"name": "b"})),
    )
    .await;
    assert_eq!(sim.zia_activation_status(), "PENDING");
    zia(
        &client,
        &sim,
        &cookie,
        "DELETE",
        "/authenticatedSession",
        None,
    )
    .await;
    assert_eq!(sim.zia_activation_status(), "ACTIVE", "logout activates");
}

#[tokio::test]
async fn reads_leave_status_active() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    zia(&client, &sim, &cookie, "GET", "/users", None).await;
    zia(&client, &sim, &cookie, "GET", "/users/999", None).await;
    assert_eq!(sim.zia_activation_status(), "ACTIVE");
}

#[tokio::test]
async fn edit_lock_rejects_writes() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    sim.hold_zia_edit_lock(true);
    let locked = zia(
        &client,
        &sim,
        &cookie,
        "POST",
        "/ruleLabels",
        Some(json!({"name": "a"})),
    )
    .await;
    assert_eq!(locked.status(), 409);
    assert_eq!(json_of(locked).await["code"], "EDIT_LOCK_NOT_AVAILABLE");
    let read = zia(&client, &sim, &cookie, "GET", "/ruleLabels", None).await;
    assert_eq!(read.status(), 200, "reads work while the lock is held");
    sim.hold_zia_edit_lock(false);
    let unlocked = zia(
        &client,
        &sim,
        &cookie,
        "POST",
        "/ruleLabels",
        Some(json!({"name": "a"})),
    )
    .await;
    assert_eq!(unlocked.status(), 200);
}

#[tokio::test]
async fn bulk_delete_limit() {
    let sim = Simulator::builder()
        .zia_users(600)
        .start()
        .await
        .expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;

    let ids: Vec<Value> = sim
        .zia_collection("/users")
        .iter()
        .map(|user| user["id"].clone())
        .collect();
    let too_many = zia(
        &client,
        &sim,
        &cookie,
        "POST",
        "/users/bulkDelete",
        Some(json!({"ids": ids[..501]})),
    )
    .await;
    assert_eq!(too_many.status(), 400);
    assert_eq!(json_of(too_many).await["code"], "INVALID_INPUT_ARGUMENT");
    assert_eq!(sim.zia_collection("/users").len(), 600);

    let allowed = zia(
        &client,
        &sim,
        &cookie,
        "POST",
        "/users/bulkDelete",
        Some(json!({"ids": ids[..500]})),
    )
    .await;
    assert_eq!(allowed.status(), 204);
    assert_eq!(sim.zia_collection("/users").len(), 100);
}

#[tokio::test]
async fn url_category_list_actions() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    let body = json!({"configuredName": "Lists", "urls": ["a.example"], "dbCategorizedUrls": []});
    let created =
        json_of(zia(&client, &sim, &cookie, "POST", "/urlCategories", Some(body)).await).await;
    let path = format!("/urlCategories/{}", created["id"].as_str().expect("id"));
    let add = json!({"configuredName": "Lists", "urls": ["b.example", "a.example"], "dbCategorizedUrls": ["c.example"]});
    let added = zia(
        &client,
        &sim,
        &cookie,
        "PUT",
        &format!("{path}?action=ADD_TO_LIST"),
        Some(add),
    )
    .await;
    assert_eq!(added.status(), 200);
    let added = json_of(added).await;
    assert_eq!(added["urls"], json!(["a.example", "b.example"]));
    assert_eq!(added["dbCategorizedUrls"], json!(["c.example"]));

    let remove = json!({"configuredName": "Lists", "urls": ["a.example"]});
    let removed = zia(
        &client,
        &sim,
        &cookie,
        "PUT",
        &format!("{path}?action=REMOVE_FROM_LIST"),
        Some(remove),
    )
    .await;
    let removed = json_of(removed).await;
    assert_eq!(removed["urls"], json!(["b.example"]));
    assert_eq!(removed["dbCategorizedUrls"], json!(["c.example"]));
}

#[tokio::test]
async fn users_filters() {
    let sim = Simulator::builder()
        .recorded_seed(false)
        .start()
        .await
        .expect("start");
    sim.zia_insert(
        "/users",
        json!({"name": "Ada Lovelace", "department": {"id": 1, "name": "Research"}, "groups": [{"id": 2, "name": "Math"}]}),
    );
    sim.zia_insert(
        "/users",
        json!({"name": "Alan Turing", "department": {"id": 3, "name": "Crypto"}, "groups": [{"id": 2, "name": "Math"}, {"id": 4, "name": "Chess"}]}),
    );
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    assert_eq!(list_len(&client, &sim, &cookie, "/users?name=ada").await, 1);
    assert_eq!(
        list_len(&client, &sim, &cookie, "/users?dept=CRYPTO").await,
        1
    );
    assert_eq!(
        list_len(&client, &sim, &cookie, "/users?group=math").await,
        2
    );
    assert_eq!(
        list_len(&client, &sim, &cookie, "/users?group=chess&name=alan").await,
        1
    );
    assert_eq!(
        list_len(&client, &sim, &cookie, "/users?name=grace").await,
        0
    );
}

#[tokio::test]
async fn search_count_and_lite() {
    let sim = Simulator::builder()
        .recorded_seed(false)
        .start()
        .await
        .expect("start");
    for name in ["Sales EU", "Sales US", "Support"] {
        sim.zia_insert("/locations/groups", json!({"name": name, "comments": "x"}));
    }
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    assert_eq!(
        list_len(&client, &sim, &cookie, "/locations/groups?search=sales").await,
        2
    );

    let count = json_of(
        zia(
            &client,
            &sim,
            &cookie,
            "GET",
            "/locations/groups/count",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(count, json!(3));

    let lite = json_of(
        zia(
            &client,
            &sim,
            &cookie,
            "GET",
            "/locations/groups/lite",
            None,
        )
        .await,
    )
    .await;
    let first = &lite[0];
    assert_eq!(
        first.as_object().expect("object").len(),
        2,
        "lite has id and name only: {first}"
    );
    assert_eq!(first["name"], "Sales EU");
}

#[tokio::test]
async fn recorded_resources_served() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    let response = zia(&client, &sim, &cookie, "GET", "/adminUsers/165214882", None).await;
    assert_eq!(response.status(), 200);
    let admin = json_of(response).await;
    assert_eq!(admin["id"], 165214882);
    let quota = json_of(
        zia(
            &client,
            &sim,
            &cookie,
            "GET",
            "/urlCategories/urlQuota",
            None,
        )
        .await,
    )
    .await;
    assert!(
        quota.as_object().is_some_and(|map| !map.is_empty()),
        "recorded quota {quota}"
    );
}

#[tokio::test]
async fn unknown_path_answers_404() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let cookie = zia_login(&sim, &client).await;
    let response = zia(&client, &sim, &cookie, "GET", "/noSuchThing", None).await;
    assert_eq!(response.status(), 404);
    assert_eq!(json_of(response).await["code"], "RESOURCE_NOT_FOUND");
}
