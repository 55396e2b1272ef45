//! Access policy rules: a typed condition builder ([`RuleConditions`]) and a handle
//! ([`Policies`], from [`ZpaClient::policies`]) that finds the policy set and serialises writes.
//!
//! ZPA rejects concurrent changes to one policy set, so every write this handle sends (create,
//! update, delete, reorder) waits for the other writes of the same client to that policy set
//! to finish. Clones of a client share the locks. Reads do not wait. Writes from other
//! processes, or from calls that bypass this handle, are not serialised.
//!
//! ```no_run
//! use zscaler_zpa::ZpaClient;
//! use zscaler_zpa::generated::{PolicyRuleV2, PolicyRuleV2Action};
//! use zscaler_zpa::policy::RuleConditions;
//!
//! # async fn run(zpa: ZpaClient) -> zscaler_zpa::Result<()> {
//! let conditions = RuleConditions::new()
//!     .app_segment("216196257331404700")
//!     .scim_group("216196257331285825", 3251059)
//!     .posture("b3a7d1e6-1c2d-4f5a-9e8b-7c6d5e4f3a2b", true);
//! let rule = PolicyRuleV2 {
//!     name: Some("engineering to CRM".into()),
//!     action: Some(PolicyRuleV2Action::Allow),
//!     conditions: Some(conditions.to_v2()),
//!     ..PolicyRuleV2::default()
//! };
//! let created = zpa.policies().create_rule(&rule).await?;
//! let id = created.id.unwrap_or_default();
//! zpa.policies().reorder(&id, 1).await?;
//! # Ok(())
//! # }
//! ```

mod conditions;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{Mutex as AsyncMutex, OnceCell, OwnedMutexGuard};
use zscaler_core::{ConfigError, Error, Product, Request, Result};

pub use conditions::{ConditionBlock, ConditionOperator, ObjectType, Operand, RuleConditions};

use crate::ZpaClient;
use crate::generated::options::MicrotenantIdOptions;
use crate::generated::policies_models::{PolicyRuleV2, PolicySet};
use crate::paths::{ApiBase, encode_segment};

/// The policy type of access policy rules.
pub const ACCESS_POLICY: &str = "ACCESS_POLICY";

/// Per-client policy state shared by every clone: the policy set ids already looked up and the
/// write lock of each policy set.
#[derive(Default)]
pub(crate) struct PolicyState {
    set_ids: Mutex<HashMap<String, Arc<OnceCell<String>>>>,
    write_locks: Mutex<HashMap<String, Arc<AsyncMutex<()>>>>,
}

impl PolicyState {
    fn set_id_cell(&self, policy_type: &str) -> Arc<OnceCell<String>> {
        let mut cells = self
            .set_ids
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cells.entry(policy_type.to_owned()).or_default().clone()
    }

    fn write_lock(&self, policy_set_id: &str) -> Arc<AsyncMutex<()>> {
        let mut locks = self
            .write_locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        locks.entry(policy_set_id.to_owned()).or_default().clone()
    }
}

/// Proof that this client sends no other write to one policy set through [`Policies`] until it
/// is dropped, from [`Policies::lock_policy_set`].
#[derive(Debug)]
pub struct PolicySetWriteGuard {
    _guard: OwnedMutexGuard<()>,
}

/// Policy rules of one policy type, `ACCESS_POLICY` unless set with
/// [`policy_type`](Self::policy_type), returned by [`ZpaClient::policies`].
#[derive(Debug, Clone)]
pub struct Policies {
    client: ZpaClient,
    policy_type: String,
}

impl Policies {
    pub(crate) fn new(client: ZpaClient) -> Self {
        Policies {
            client,
            policy_type: ACCESS_POLICY.to_owned(),
        }
    }

    /// Acts on the rules of another policy type, such as `TIMEOUT_POLICY`,
    /// `CLIENT_FORWARDING_POLICY` or `ISOLATION_POLICY`.
    pub fn policy_type(mut self, policy_type: impl Into<String>) -> Self {
        self.policy_type = policy_type.into();
        self
    }

    /// Returns the id of the policy set of a policy type such as `ACCESS_POLICY` or
    /// `TIMEOUT_POLICY`. The first call per type sends
    /// `GET /policySet/policyType/{policyType}`; later calls of every clone reuse the id,
    /// and concurrent first calls share one request.
    pub async fn policy_set_id_of(&self, policy_type: &str) -> Result<String> {
        let cell = self.client.policy_state().set_id_cell(policy_type);
        let id = cell
            .get_or_try_init(|| self.fetch_policy_set_id(policy_type))
            .await?;
        Ok(id.clone())
    }

    /// Returns the id of the policy set of this handle's policy type, looked up once per
    /// client.
    pub async fn policy_set_id(&self) -> Result<String> {
        self.policy_set_id_of(&self.policy_type).await
    }

    /// Returns the id of the access policy set (policy type `ACCESS_POLICY`), looked up once
    /// per client.
    pub async fn access_policy_set_id(&self) -> Result<String> {
        self.policy_set_id_of(ACCESS_POLICY).await
    }

    async fn fetch_policy_set_id(&self, policy_type: &str) -> Result<String> {
        let set: PolicySet = self
            .client
            .policy_set_controller()
            .get_policy_set_by_type(policy_type, &MicrotenantIdOptions::default())
            .await?;
        match set.id.filter(|id| !id.trim().is_empty()) {
            Some(id) => Ok(id),
            None => {
                let path = self.client.paths().item(
                    ApiBase::MgmtConfigV1,
                    "policySet/policyType",
                    policy_type,
                );
                Err(Error::invalid_response(
                    Product::Zpa,
                    &Request::get(path),
                    ".id",
                    format!("the {policy_type} policy set has no id"),
                    None,
                ))
            }
        }
    }

    /// Waits until no other write of this client to the policy set is in flight, and holds
    /// further writes back until the guard is dropped. The handle's own write methods take
    /// this lock. Take it to serialise writes sent another way, such as through
    /// [`ZpaClient::policy_set_controller`]. Do not call a write method of this handle on the
    /// same policy set while holding the guard: it would wait forever.
    pub async fn lock_policy_set(&self, policy_set_id: &str) -> PolicySetWriteGuard {
        let lock = self.client.policy_state().write_lock(policy_set_id);
        PolicySetWriteGuard {
            _guard: lock.lock_owned().await,
        }
    }

    /// Reads a rule (`GET .../policySet/{id}/rule/{ruleId}`). ZPA returns the
    /// conditions in the v1 form, one `lhs` and `rhs` per operand, and
    /// [`RuleConditions::from_v2`] reads them.
    pub async fn get_rule(&self, rule_id: &str) -> Result<PolicyRuleV2> {
        let set_id = self.policy_set_id().await?;
        let rules = format!(
            "policySet/{}/rule",
            encode_segment(segment("policy set id", &set_id)?)
        );
        let path =
            self.client
                .paths()
                .item(ApiBase::MgmtConfigV1, &rules, segment("rule id", rule_id)?);
        self.client
            .service()
            .json(&self.scoped(Request::get(path)))
            .await
    }

    /// Creates a rule with the v2 API and returns it as ZPA stored it.
    pub async fn create_rule(&self, rule: &PolicyRuleV2) -> Result<PolicyRuleV2> {
        let set_id = self.policy_set_id().await?;
        let _guard = self.lock_policy_set(&set_id).await;
        self.client
            .policy_set_controller()
            .create_rule_v2(&set_id, rule, &MicrotenantIdOptions::default())
            .await
    }

    /// Replaces a rule with the v2 API. ZPA updates are full replacements, so
    /// send every field to keep, conditions included.
    pub async fn update_rule(&self, rule_id: &str, rule: &PolicyRuleV2) -> Result<()> {
        let set_id = self.policy_set_id().await?;
        let _guard = self.lock_policy_set(&set_id).await;
        self.client
            .policy_set_controller()
            .update_rule_v2(&set_id, rule_id, rule, &MicrotenantIdOptions::default())
            .await
    }

    /// Deletes a rule.
    pub async fn delete_rule(&self, rule_id: &str) -> Result<()> {
        let set_id = self.policy_set_id().await?;
        let _guard = self.lock_policy_set(&set_id).await;
        self.client
            .policy_set_controller()
            .delete_rule(&set_id, rule_id, &MicrotenantIdOptions::default())
            .await
    }

    /// Moves a rule to a position, where 1 is evaluated first.
    pub async fn reorder(&self, rule_id: &str, order: u32) -> Result<()> {
        if order == 0 {
            return Err(Error::Config(ConfigError::new(format!(
                "invalid rule order 0 for rule {rule_id:?}: orders start at 1, the first rule \
                 evaluated"
            ))));
        }
        let set_id = self.policy_set_id().await?;
        let _guard = self.lock_policy_set(&set_id).await;
        self.client
            .policy_set_controller()
            .reorder_rule(
                &set_id,
                rule_id,
                &order.to_string(),
                &MicrotenantIdOptions::default(),
            )
            .await
    }

    /// Orders the rules of the policy set as listed, the first evaluated first, in one request
    /// (`PUT .../policySet/{id}/reorder`).
    pub async fn bulk_reorder(&self, rule_ids: &[String]) -> Result<()> {
        if rule_ids.is_empty() {
            return Err(Error::Config(ConfigError::new(
                "invalid bulk reorder: the list of rule ids is empty; list every rule id in \
                 the order wanted",
            )));
        }
        let set_id = self.policy_set_id().await?;
        let _guard = self.lock_policy_set(&set_id).await;
        self.client
            .policy_set_controller()
            .bulk_reorder_rules(&set_id, rule_ids, &MicrotenantIdOptions::default())
            .await
    }

    fn scoped(&self, request: Request) -> Request {
        match self.client.microtenant_id() {
            Some(id) => request.query("microtenantId", id),
            None => request,
        }
    }
}

/// Checks one path segment and rejects an empty, `.` or `..` value. The caller encodes it.
fn segment<'a>(name: &str, value: &'a str) -> Result<&'a str> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed == "." || trimmed == ".." {
        return Err(Error::Config(ConfigError::new(format!(
            "invalid {name} {value:?}: expected a non-empty id"
        ))));
    }
    Ok(value)
}
