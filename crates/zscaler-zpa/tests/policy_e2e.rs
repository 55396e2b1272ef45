//! An access policy rule's whole life through `zpa.policies()` against the simulator: create
//! it with SAML attribute, SCIM group, posture and application segment conditions, read it
//! back, reorder it, update it and delete it.
//!
//! The simulator does not check that referenced objects exist, so the SAML attribute, IdP and
//! posture ids below are made up. The application segment is created first.

use std::time::Duration;

use zscaler_sim::Simulator;
use zscaler_zpa::application_segments::ApplicationSegment;
use zscaler_zpa::generated::{PolicyRuleV2, PolicyRuleV2Action};
use zscaler_zpa::policy::RuleConditions;
use zscaler_zpa::{NumberString, RateLimitSettings, RetryPolicy, ZpaClient};

const SAML_ATTRIBUTE: &str = "216196257331285901";
const IDP: &str = "216196257331285825";
const SCIM_GROUP: u64 = 3251059;
const POSTURE_UDID: &str = "b3a7d1e6-1c2d-4f5a-9e8b-7c6d5e4f3a2b";

fn client(sim: &Simulator) -> ZpaClient {
    let credentials = sim.zpa_credentials();
    ZpaClient::builder()
        .client_id(credentials.client_id)
        .client_secret(credentials.client_secret)
        .customer_id(credentials.customer_id)
        .base_url(sim.base_url())
        .rate_limit(RateLimitSettings::disabled())
        .retry(RetryPolicy::default().with_deadline(Duration::from_secs(20)))
        .build()
        .expect("valid simulator settings")
}

fn rule(name: &str, conditions: &RuleConditions) -> PolicyRuleV2 {
    PolicyRuleV2 {
        name: Some(name.to_owned()),
        description: Some("created by the policy end-to-end test".to_owned()),
        action: Some(PolicyRuleV2Action::Allow),
        conditions: Some(conditions.to_v2()),
        ..PolicyRuleV2::default()
    }
}

/// Reads a rule and returns its conditions as the builder's type.
async fn read_conditions(zpa: &ZpaClient, rule_id: &str) -> RuleConditions {
    let read = zpa.policies().get_rule(rule_id).await.unwrap();
    RuleConditions::from_v2(read.conditions.as_deref().unwrap_or_default())
}

async fn rule_order(zpa: &ZpaClient, rule_id: &str) -> Option<NumberString> {
    zpa.policies().get_rule(rule_id).await.unwrap().rule_order
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_rule_lifecycle() {
    let sim = Simulator::builder().start().await.unwrap();
    let zpa = client(&sim);

    let segment = ApplicationSegment {
        name: Some("policy-e2e-crm".to_owned()),
        enabled: Some(true),
        domain_names: Some(vec!["crm.example.com".to_owned()]),
        tcp_port_ranges: Some(vec!["443".into(), "443".into()]),
        ..ApplicationSegment::default()
    };
    let segment = zpa.application_segments().create(&segment).await.unwrap();
    assert!(!segment.id.is_empty());

    // Create.
    let conditions = RuleConditions::new()
        .app_segment(segment.id.clone())
        .saml_attribute(SAML_ATTRIBUTE, "engineering")
        .scim_group(IDP, SCIM_GROUP)
        .posture(POSTURE_UDID, true);
    let set_id = zpa.policies().access_policy_set_id().await.unwrap();
    let created = zpa
        .policies()
        .create_rule(&rule("policy-e2e-first", &conditions))
        .await
        .unwrap();
    let rule_id = created.id.clone().expect("the created rule has an id");
    assert_eq!(created.policy_set_id.as_deref(), Some(set_id.as_str()));
    let create_path = format!(
        "/mgmtconfig/v2/admin/customers/{}/policySet/{set_id}/rule",
        zpa.customer_id()
    );
    assert_eq!(sim.request_count("POST", &create_path), 1);

    // Read back: every condition survived.
    let read = read_conditions(&zpa, &rule_id).await;
    assert_eq!(read, conditions);
    let kinds: Vec<&str> = read
        .blocks()
        .iter()
        .map(|block| block.operands[0].object_type.as_str())
        .collect();
    assert_eq!(kinds, ["APP", "SAML", "SCIM_GROUP", "POSTURE"]);

    // Reorder: a second rule, then the first moved below it and back with a bulk reorder.
    let second = zpa
        .policies()
        .create_rule(&rule("policy-e2e-second", &RuleConditions::new()))
        .await
        .unwrap();
    let second_id = second.id.expect("the created rule has an id");
    let first_order = rule_order(&zpa, &rule_id).await.expect("a rule order");
    let last = rule_order(&zpa, &second_id).await.expect("a rule order");
    assert_ne!(first_order, last);

    let position: u32 = last.to_string().parse().unwrap();
    zpa.policies().reorder(&rule_id, position).await.unwrap();
    assert_eq!(rule_order(&zpa, &rule_id).await, Some(last.clone()));
    assert_eq!(
        rule_order(&zpa, &second_id).await,
        Some(first_order.clone())
    );

    zpa.policies()
        .bulk_reorder(&[rule_id.clone(), second_id.clone()])
        .await
        .unwrap();
    let first_now = rule_order(&zpa, &rule_id).await.expect("a rule order");
    let second_now = rule_order(&zpa, &second_id).await.expect("a rule order");
    let first_now: u32 = first_now.to_string().parse().unwrap();
    let second_now: u32 = second_now.to_string().parse().unwrap();
    assert!(first_now < second_now, "{first_now} >= {second_now}");

    // Update: a new description and one more condition.
    let updated_conditions = conditions.clone().country_code("US");
    let mut update = rule("policy-e2e-first", &updated_conditions);
    update.description = Some("updated by the policy end-to-end test".to_owned());
    zpa.policies().update_rule(&rule_id, &update).await.unwrap();
    let read = zpa.policies().get_rule(&rule_id).await.unwrap();
    assert_eq!(
        read.description.as_deref(),
        Some("updated by the policy end-to-end test")
    );
    assert_eq!(read_conditions(&zpa, &rule_id).await, updated_conditions);

    // Delete.
    zpa.policies().delete_rule(&rule_id).await.unwrap();
    let error = zpa.policies().get_rule(&rule_id).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    zpa.policies().delete_rule(&second_id).await.unwrap();
    zpa.application_segments()
        .delete(&segment.id)
        .await
        .unwrap();

    // The policy set was looked up once for the whole test.
    let lookup_path = format!(
        "/mgmtconfig/v1/admin/customers/{}/policySet/policyType/ACCESS_POLICY",
        zpa.customer_id()
    );
    assert_eq!(sim.request_count("GET", &lookup_path), 1);
}
