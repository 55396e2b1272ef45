//! End-to-end checks of the simulated ZPA API: sign-in, tokens, the list envelope, search,
//! microtenants, ids, writes and policy rules.

mod common;

use std::time::Duration;

use base64::Engine;
use common::{client, json_of, zpa, zpa_base, zpa_signin};
use serde_json::{Value, json};
use zscaler_sim::Simulator;

#[tokio::test]
async fn signin_returns_jwt() {
    let sim = Simulator::builder()
        .zpa_token_lifetime(Duration::from_secs(1800))
        .start()
        .await
        .expect("start");
    let client = client();
    let credentials = sim.zpa_credentials();
    let response = client
        .post(format!("{}/signin", sim.base_url()))
        .form(&[
            ("client_id", credentials.client_id.as_str()),
            ("client_secret", credentials.client_secret.as_str()),
        ])
        .send()
        .await
        .expect("sign-in");
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], "1800");
    let token = body["access_token"].as_str().expect("token");
    let claims = token.split('.').nth(1).expect("JWT has a payload");
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(claims)
        .expect("base64url payload");
    let claims: Value = serde_json::from_slice(&claims).expect("JSON claims");
    let exp = claims["exp"].as_u64().expect("exp");
    let iat = claims["iat"].as_u64().expect("iat");
    assert_eq!(exp - iat, 1800);
}

#[tokio::test]
async fn signin_rejects_bad_secret() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let response = client
        .post(format!("{}/signin", sim.base_url()))
        .form(&[
            ("client_id", sim.zpa_credentials().client_id.as_str()),
            ("client_secret", "wrong"),
        ])
        .send()
        .await
        .expect("sign-in");
    assert_eq!(response.status(), 401);
    assert_eq!(json_of(response).await["id"], "invalid.credentials");
}

#[tokio::test]
async fn calls_need_live_token() {
    let sim = Simulator::builder()
        .zpa_token_lifetime(Duration::from_millis(500))
        .start()
        .await
        .expect("start");
    let client = client();
    let url = format!("{}/segmentGroup", zpa_base(&sim));
    let missing = client.get(&url).send().await.expect("request");
    assert_eq!(missing.status(), 401);
    assert_eq!(json_of(missing).await["id"], "authentication.failed");
    let token = zpa_signin(&sim, &client).await;
    assert_eq!(zpa(&client, &token, "GET", &url, None).await.status(), 200);
    tokio::time::sleep(Duration::from_millis(700)).await;
    let expired = zpa(&client, &token, "GET", &url, None).await;
    assert_eq!(expired.status(), 401, "expired token");
}

#[tokio::test]
async fn expired_tokens_answer_401() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let url = format!("{}/segmentGroup", zpa_base(&sim));
    sim.expire_zpa_tokens();
    assert_eq!(zpa(&client, &token, "GET", &url, None).await.status(), 401);
    let fresh = zpa_signin(&sim, &client).await;
    assert_eq!(zpa(&client, &fresh, "GET", &url, None).await.status(), 200);
}

#[tokio::test]
async fn envelope_uses_strings() {
    let sim = Simulator::builder()
        .zpa_application_segments(1_234)
        .start()
        .await
        .expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let url = format!("{}/application", zpa_base(&sim));
    let first = json_of(zpa(&client, &token, "GET", &url, None).await).await;
    assert_eq!(first["totalCount"], "1234");
    assert_eq!(first["totalPages"], "62", "default page size 20");
    assert_eq!(first["list"].as_array().expect("list").len(), 20);

    let capped = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{url}?page=1&pagesize=2000"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        capped["list"].as_array().expect("list").len(),
        500,
        "pagesize capped at 500"
    );
    assert_eq!(capped["totalPages"], "3");
    let last = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{url}?page=3&pagesize=500"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(last["list"].as_array().expect("list").len(), 234);

    let past = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{url}?page=4&pagesize=500"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(past.get("list"), None, "no list past the end: {past}");
}

#[tokio::test]
async fn empty_result_envelope() {
    let sim = Simulator::builder()
        .recorded_seed(false)
        .start()
        .await
        .expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let url = format!("{}/serverGroup", zpa_base(&sim));
    let body = json_of(zpa(&client, &token, "GET", &url, None).await).await;
    assert_eq!(body, json!({"totalPages": "0"}));
}

#[tokio::test]
async fn smaller_catalog_maximum() {
    let sim = Simulator::builder()
        .recorded_seed(false)
        .start()
        .await
        .expect("start");
    for index in 0..250 {
        sim.zpa_insert("/administrators", json!({"name": format!("admin {index}")}));
    }
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let url = format!("{}/administrators?pagesize=500", zpa_base(&sim));
    let body = json_of(zpa(&client, &token, "GET", &url, None).await).await;
    assert_eq!(body["list"].as_array().expect("list").len(), 200);
}

#[tokio::test]
async fn search_expressions() {
    let sim = Simulator::builder()
        .recorded_seed(false)
        .start()
        .await
        .expect("start");
    for name in ["web-portal", "Web-Admin", "mail", "db-web"] {
        sim.zpa_insert(
            "/segmentGroup",
            json!({"name": name, "ruleOrder": name.len().to_string()}),
        );
    }
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let base = format!("{}/segmentGroup", zpa_base(&sim));
    let cases = [
        ("name+EQ+mail", 1),
        ("name%2BEQ%2BMAIL", 1),
        ("name%20EQ%20mail", 1),
        ("name+NE+mail", 3),
        ("name+CONTAINS+web", 3),
        ("name+STARTSWITH+web", 2),
        ("name+ENDSWITH+WEB", 1),
        ("ruleOrder+GT+6", 2),
        ("ruleOrder+LT+6", 1),
        ("ruleOrder+GE+10", 1),
        ("ruleOrder+LE+4", 1),
        ("mail", 1),
    ];
    for (expression, expected) in cases {
        let url = format!("{base}?search={expression}");
        let body = json_of(zpa(&client, &token, "GET", &url, None).await).await;
        let found = body["list"].as_array().map(Vec::len).unwrap_or(0);
        assert_eq!(found, expected, "search={expression} gave {body}");
    }
}

#[tokio::test]
async fn microtenant_scoping() {
    let sim = Simulator::builder()
        .recorded_seed(false)
        .start()
        .await
        .expect("start");
    sim.zpa_insert("/segmentGroup", json!({"name": "default one"}));
    let scoped = sim.zpa_insert(
        "/segmentGroup",
        json!({"name": "tenant one", "microtenantId": "777"}),
    );
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let base = format!("{}/segmentGroup", zpa_base(&sim));
    let all = json_of(zpa(&client, &token, "GET", &base, None).await).await;
    assert_eq!(all["totalCount"], "2");

    let tenant = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{base}?microtenantId=777"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(tenant["totalCount"], "1");
    assert_eq!(tenant["list"][0]["name"], "tenant one");
    let default = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{base}?microtenantId=0"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(default["list"][0]["name"], "default one");

    let id = scoped["id"].as_str().expect("id");
    let hidden = zpa(
        &client,
        &token,
        "GET",
        &format!("{base}/{id}?microtenantId=1"),
        None,
    )
    .await;
    assert_eq!(hidden.status(), 404);
    let created = zpa(
        &client,
        &token,
        "POST",
        &format!("{base}?microtenantId=777"),
        Some(json!({"name": "new"})),
    )
    .await;
    assert_eq!(json_of(created).await["microtenantId"], "777");
}

#[tokio::test]
async fn crud_in_zpa_style() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let base = format!("{}/serverGroup", zpa_base(&sim));
    let created = zpa(
        &client,
        &token,
        "POST",
        &base,
        Some(json!({"name": "sg", "enabled": true})),
    )
    .await;
    assert_eq!(created.status(), 201);
    let created = json_of(created).await;
    let id = created["id"].as_str().expect("string id").to_string();
    assert!((18..=19).contains(&id.len()), "id {id}");
    assert!(id.bytes().all(|byte| byte.is_ascii_digit()), "id {id}");
    assert!(created["creationTime"].is_string());
    assert!(created["modifiedTime"].is_string());
    let second =
        json_of(zpa(&client, &token, "POST", &base, Some(json!({"name": "sg2"}))).await).await;
    let second_id: u64 = second["id"].as_str().expect("id").parse().expect("numeric");
    assert!(second_id > id.parse::<u64>().expect("numeric"));

    let item = format!("{base}/{id}");
    let updated = zpa(
        &client,
        &token,
        "PUT",
        &item,
        Some(json!({"name": "renamed"})),
    )
    .await;
    assert_eq!(updated.status(), 204);
    assert!(updated.bytes().await.expect("body").is_empty());
    let read = json_of(zpa(&client, &token, "GET", &item, None).await).await;
    assert_eq!(read["name"], "renamed");
    assert_eq!(read.get("enabled"), None, "PUT is a full replace");
    assert_eq!(read["creationTime"], created["creationTime"]);

    let deleted = zpa(&client, &token, "DELETE", &item, None).await;
    assert_eq!(deleted.status(), 204);
    let missing = zpa(&client, &token, "GET", &item, None).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        json_of(missing).await,
        json!({"id": "resource.not.found", "reason": "Resource not found"})
    );
}

#[tokio::test]
async fn wrong_customer_rejected() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let url = format!(
        "{}/mgmtconfig/v1/admin/customers/1234/segmentGroup",
        sim.base_url()
    );
    let response = zpa(&client, &token, "GET", &url, None).await;
    assert_eq!(response.status(), 403);
    assert!(json_of(response).await["id"].is_string());
}

#[tokio::test]
async fn versions_share_collections() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let customer = sim.zpa_credentials().customer_id;
    let list_url = format!(
        "{}/mgmtconfig/v2/admin/customers/{customer}/idp",
        sim.base_url()
    );
    let list = json_of(zpa(&client, &token, "GET", &list_url, None).await).await;
    let id = list["list"][0]["id"]
        .as_str()
        .expect("recorded IdP id")
        .to_string();
    let get_url = format!("{}/idp/{id}", zpa_base(&sim));
    let item = zpa(&client, &token, "GET", &get_url, None).await;
    assert_eq!(item.status(), 200);
}

#[tokio::test]
async fn policy_rules_flow() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let base = zpa_base(&sim);
    let set = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{base}/policySet/policyType/TIMEOUT_POLICY"),
            None,
        )
        .await,
    )
    .await;
    let set_id = set["id"].as_str().expect("policy set id").to_string();
    let again = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{base}/policySet/policyType/TIMEOUT_POLICY"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(again["id"], set["id"], "one policy set per type");

    let rules = format!("{base}/policySet/{set_id}/rule");
    let first = json_of(
        zpa(
            &client,
            &token,
            "POST",
            &rules,
            Some(json!({"name": "r1", "action": "ALLOW"})),
        )
        .await,
    )
    .await;
    let second = json_of(
        zpa(
            &client,
            &token,
            "POST",
            &rules,
            Some(json!({"name": "r2", "action": "DENY"})),
        )
        .await,
    )
    .await;
    assert_eq!(first["ruleOrder"], "1");
    assert_eq!(second["ruleOrder"], "2");
    assert_eq!(second["policySetId"], set_id.as_str());

    let second_id = second["id"].as_str().expect("id");
    let reorder = format!("{rules}/{second_id}/reorder/1");
    assert_eq!(
        zpa(&client, &token, "PUT", &reorder, None).await.status(),
        204
    );

    let by_type = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{base}/policySet/rules/policyType/TIMEOUT_POLICY"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(by_type["totalCount"], "2");
    assert_eq!(by_type["list"][0]["name"], "r2");
    assert_eq!(by_type["list"][0]["ruleOrder"], "1");
}

#[tokio::test]
async fn recorded_access_policy_present() {
    let sim = Simulator::builder().start().await.expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let base = zpa_base(&sim);
    let set = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{base}/policySet/policyType/ACCESS_POLICY"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(set["id"], "216196257331281925");
    assert_eq!(set["name"], "Global_Policy");
}

#[tokio::test]
async fn post_search_pages() {
    let sim = Simulator::builder()
        .recorded_seed(false)
        .start()
        .await
        .expect("start");
    for index in 0..30 {
        sim.zpa_insert("/microtenants", json!({"name": format!("team-{index:02}")}));
    }
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let url = format!("{}/microtenants/search", zpa_base(&sim));
    let body = json!({
        "filterBy": {"filterGroups": [{"filters": [{"filterName": "name", "operator": "STARTSWITH", "values": ["team-1"]}]}]},
        "pageBy": {"page": 1, "pageSize": 4}
    });
    let found = json_of(zpa(&client, &token, "POST", &url, Some(body)).await).await;
    assert_eq!(found["totalCount"], "10");
    assert_eq!(found["totalPages"], "3");
    assert_eq!(found["list"].as_array().expect("list").len(), 4);
}

#[tokio::test]
async fn emergency_access_cursor() {
    let sim = Simulator::builder()
        .recorded_seed(false)
        .start()
        .await
        .expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let base = zpa_base(&sim);
    for index in 0..5 {
        let body = json!({"emailId": format!("user{index}@corp.example"), "firstName": "U"});
        let created = zpa(
            &client,
            &token,
            "POST",
            &format!("{base}/emergencyAccess/user"),
            Some(body),
        )
        .await;
        assert_eq!(created.status(), 201);
        assert!(json_of(created).await["userId"].is_string());
    }
    let first = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{base}/emergencyAccess/users?pageSize=3"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(first["items"].as_array().expect("items").len(), 3);
    let next = first["nextPage"].as_str().expect("next page id");
    let url = format!("{base}/emergencyAccess/users?pageSize=3&pageId={next}");
    let second = json_of(zpa(&client, &token, "GET", &url, None).await).await;
    assert_eq!(second["items"].as_array().expect("items").len(), 2);
    assert_eq!(second.get("nextPage"), None);
}

#[tokio::test]
async fn reads_without_data_typed() {
    let sim = Simulator::builder()
        .recorded_seed(false)
        .start()
        .await
        .expect("start");
    let client = client();
    let token = zpa_signin(&sim, &client).await;
    let base = zpa_base(&sim);
    let available = zpa(
        &client,
        &token,
        "GET",
        &format!("{base}/config/isZiaCloudConfigAvailable"),
        None,
    )
    .await;
    assert_eq!(available.status(), 200);
    assert_eq!(json_of(available).await, json!(false));
    let schedule = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{base}/connectorSchedule"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(schedule, json!({}));
    let versions = json_of(
        zpa(
            &client,
            &token,
            "GET",
            &format!("{base}/inspectionControls/predefined/versions"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(versions, json!([]));
}
