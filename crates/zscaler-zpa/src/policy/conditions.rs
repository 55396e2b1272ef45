//! A typed builder of policy rule conditions, written in both wire shapes of ZPA.
//!
//! A rule matches when every condition block matches (the rule's `AND`), and a block matches
//! when any of its operands does (`OR`, the usual block operator) or all of them (`AND`). ZPA has two shapes for the same thing:
//!
//! - v1 (`/mgmtconfig/v1/.../rule`): one operand per value, `{objectType, lhs, rhs, idpId}`,
//!   where `lhs` is `"id"` for a plain reference such as an application segment;
//! - v2 (`/mgmtconfig/v2/.../rule`): one operand per object type in a block, holding either
//!   `values: [..]` (plain references) or `entryValues: [{lhs, rhs}]` (key and value pairs such
//!   as a SAML attribute and its value).
//!
//! ```
//! use zscaler_zpa::policy::RuleConditions;
//!
//! let conditions = RuleConditions::new()
//!     .app_segments(["216196257331404700", "216196257331404701"])
//!     .saml_attribute("216196257331285900", "engineering")
//!     .scim_group("216196257331285825", 3251059)
//!     .posture("b3a7d1e6-1c2d-4f5a-9e8b-7c6d5e4f3a2b", true);
//! assert_eq!(conditions.blocks().len(), 4);
//! let v2 = conditions.to_v2();
//! assert_eq!(v2[0].operands.as_ref().unwrap()[0].values.as_ref().unwrap().len(), 2);
//! ```

use std::fmt::Display;

use crate::generated::lss::OperandsResourceLHSRHSValue;
use crate::generated::policies_models::PolicyRuleResourceConditions;
use crate::generated::policies_models_2::{Conditions, Operands, PolicyRuleResourceOperands};

/// The `lhs` of a v1 operand that refers to an object by its id or name.
const ID_LHS: &str = "id";

zscaler_core::string_enum! {
    /// The kind of object an operand of a policy rule condition refers to (`objectType`).
    pub enum ObjectType {
        /// `APP`: an application segment, by id.
        App = "APP",
        /// `APP_GROUP`: a segment group, by id.
        AppGroup = "APP_GROUP",
        /// `SAML`: a SAML attribute id and the value it must have.
        Saml = "SAML",
        /// `SCIM`: a SCIM attribute id and the value it must have.
        Scim = "SCIM",
        /// `SCIM_GROUP`: an IdP id and a SCIM group id of that IdP.
        ScimGroup = "SCIM_GROUP",
        /// `POSTURE`: a posture profile UDID and whether the posture must pass.
        Posture = "POSTURE",
        /// `TRUSTED_NETWORK`: a trusted network id and whether the device must be on it.
        TrustedNetwork = "TRUSTED_NETWORK",
        /// `CLIENT_TYPE`: a client type such as `zpn_client_type_zapp`.
        ClientType = "CLIENT_TYPE",
        /// `PLATFORM`: an operating system such as `windows` and whether it must match.
        Platform = "PLATFORM",
        /// `COUNTRY_CODE`: an ISO 3166 country code and whether it must match.
        CountryCode = "COUNTRY_CODE",
        /// `IDP`: an identity provider, by id.
        Idp = "IDP",
        /// `MACHINE_GRP`: a machine group, by id.
        MachineGroup = "MACHINE_GRP",
        /// `LOCATION`: a ZIA location, by id.
        Location = "LOCATION",
        /// `BRANCH_CONNECTOR_GROUP`: a branch connector group, by id.
        BranchConnectorGroup = "BRANCH_CONNECTOR_GROUP",
        /// `EDGE_CONNECTOR_GROUP`: a cloud (edge) connector group, by id.
        EdgeConnectorGroup = "EDGE_CONNECTOR_GROUP",
        /// `RISK_FACTOR_TYPE`: a risk score source such as `ZIA` and a level such as `HIGH`.
        RiskFactorType = "RISK_FACTOR_TYPE",
        /// `CHROME_ENTERPRISE`: `managed` and whether the Chrome browser must be managed.
        ChromeEnterprise = "CHROME_ENTERPRISE",
        /// `CHROME_POSTURE_PROFILE`: a Chrome posture profile, by id.
        ChromePostureProfile = "CHROME_POSTURE_PROFILE",
        /// `USER_PORTAL`: a user portal, by id.
        UserPortal = "USER_PORTAL",
        /// `CONSOLE`: a privileged remote access console, by id.
        Console = "CONSOLE",
        /// `WORKLOAD_TAG_GROUP`: a workload tag group, by id.
        WorkloadTagGroup = "WORKLOAD_TAG_GROUP",
    }
}

impl ObjectType {
    /// Returns whether operands of this type are key and value pairs (`entryValues` in v2)
    /// rather than plain references (`values`), or `None` for a type this SDK does not know.
    pub fn uses_entry_values(&self) -> Option<bool> {
        match self {
            ObjectType::Saml
            | ObjectType::Scim
            | ObjectType::ScimGroup
            | ObjectType::Posture
            | ObjectType::TrustedNetwork
            | ObjectType::Platform
            | ObjectType::CountryCode
            | ObjectType::RiskFactorType
            | ObjectType::ChromeEnterprise => Some(true),
            ObjectType::Unknown(_) => None,
            _ => Some(false),
        }
    }

    /// Returns the type whose block operands of this type join. Segment groups share the block
    /// of application segments, as in the ZPA admin portal, so a rule matches either.
    fn block_kind(&self) -> &ObjectType {
        match self {
            ObjectType::AppGroup => &ObjectType::App,
            other => other,
        }
    }
}

zscaler_core::string_enum! {
    /// The operator that joins the operands of one condition block (`operator`).
    pub enum ConditionOperator {
        /// `OR`: any operand matches.
        Or = "OR",
        /// `AND`: every operand matches.
        And = "AND",
    }
}

/// One operand of a condition, in the v1 form: `lhs` is `"id"` for plain references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operand {
    /// The kind of object.
    pub object_type: ObjectType,
    /// The key, such as a SAML attribute id, or `"id"` for a plain reference.
    pub lhs: String,
    /// The value, such as the attribute's value or the referenced object's id.
    pub rhs: String,
    /// The IdP the key belongs to, sent in v1 for SCIM attributes.
    pub idp_id: Option<String>,
}

impl Operand {
    /// Makes a plain reference, such as an application segment id.
    pub fn value(object_type: ObjectType, value: impl Into<String>) -> Self {
        Operand {
            object_type,
            lhs: ID_LHS.to_owned(),
            rhs: value.into(),
            idp_id: None,
        }
    }

    /// Makes a key and value pair, such as a SAML attribute id and its value.
    pub fn entry(object_type: ObjectType, lhs: impl Into<String>, rhs: impl Into<String>) -> Self {
        Operand {
            object_type,
            lhs: lhs.into(),
            rhs: rhs.into(),
            idp_id: None,
        }
    }

    /// Returns whether the v2 shape carries this operand in `entryValues`. For an unknown type,
    /// that is when its `lhs` is anything but `"id"`.
    fn is_entry(&self) -> bool {
        self.object_type
            .uses_entry_values()
            .unwrap_or(self.lhs != ID_LHS)
    }
}

/// One condition block: operands joined by an operator, optionally negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionBlock {
    /// The operator that joins the operands.
    pub operator: ConditionOperator,
    /// Whether the block matches when its operands do not.
    pub negated: bool,
    /// The operands.
    pub operands: Vec<Operand>,
}

impl ConditionBlock {
    /// Makes a block that matches when any operand matches.
    pub fn any_of(operands: impl IntoIterator<Item = Operand>) -> Self {
        ConditionBlock {
            operator: ConditionOperator::Or,
            negated: false,
            operands: operands.into_iter().collect(),
        }
    }

    /// Makes a block that matches when every operand matches.
    pub fn all_of(operands: impl IntoIterator<Item = Operand>) -> Self {
        ConditionBlock {
            operator: ConditionOperator::And,
            ..ConditionBlock::any_of(operands)
        }
    }

    /// Negates the block.
    pub fn negated(mut self) -> Self {
        self.negated = true;
        self
    }

    fn accepts(&self, operand: &Operand) -> bool {
        self.operator == ConditionOperator::Or
            && !self.negated
            && self
                .operands
                .iter()
                .all(|o| o.object_type.block_kind() == operand.object_type.block_kind())
    }

    fn to_v1(&self) -> Conditions {
        let operands = self
            .operands
            .iter()
            .map(|operand| Operands {
                object_type: Some(operand.object_type.as_str().to_owned()),
                lhs: Some(operand.lhs.clone()),
                rhs: Some(operand.rhs.clone()),
                idp_id: operand.idp_id.clone(),
                ..Operands::default()
            })
            .collect();
        Conditions {
            operator: Some(self.operator.as_str().to_owned()),
            negated: self.negated.then_some(true),
            operands: Some(operands),
            ..Conditions::default()
        }
    }

    fn to_v2(&self) -> PolicyRuleResourceConditions {
        let mut operands: Vec<PolicyRuleResourceOperands> = Vec::new();
        for operand in &self.operands {
            let object_type = operand.object_type.as_str();
            let slot = match operands
                .iter_mut()
                .position(|o| o.object_type.as_deref() == Some(object_type))
            {
                Some(index) => &mut operands[index],
                None => {
                    operands.push(PolicyRuleResourceOperands {
                        object_type: Some(object_type.to_owned()),
                        ..PolicyRuleResourceOperands::default()
                    });
                    operands.last_mut().expect("an operand was just pushed")
                }
            };
            if operand.is_entry() {
                slot.entry_values
                    .get_or_insert_with(Vec::new)
                    .push(OperandsResourceLHSRHSValue {
                        lhs: Some(operand.lhs.clone()),
                        rhs: Some(operand.rhs.clone()),
                        ..OperandsResourceLHSRHSValue::default()
                    });
            } else {
                slot.values
                    .get_or_insert_with(Vec::new)
                    .push(operand.rhs.clone());
            }
        }
        PolicyRuleResourceConditions {
            operator: Some(self.operator.as_str().to_owned()),
            negated: self.negated.then_some(true),
            operands: Some(operands),
            ..PolicyRuleResourceConditions::default()
        }
    }
}

/// The conditions of a policy rule, built with typed methods so no operand string is written
/// by hand.
///
/// Each typed method adds its operands to the last plain `OR` block of the same object type
/// (segment groups share the block of application segments), or starts a new block, so
/// `.app_segment(a).app_segment(b)` matches either segment and `.app_segment(a).posture(p,
/// true)` needs both. [`push_block`](Self::push_block) adds a block exactly as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleConditions {
    blocks: Vec<ConditionBlock>,
}

impl RuleConditions {
    /// Makes an empty set of conditions, which matches every request.
    pub fn new() -> Self {
        RuleConditions::default()
    }

    /// Returns the condition blocks.
    pub fn blocks(&self) -> &[ConditionBlock] {
        &self.blocks
    }

    /// Returns whether there is no condition.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Adds a block as it is, without merging it with others.
    pub fn push_block(mut self, block: ConditionBlock) -> Self {
        self.blocks.push(block);
        self
    }

    /// Adds an operand to the `OR` block of its object type.
    pub fn operand(mut self, operand: Operand) -> Self {
        match self.blocks.iter_mut().rev().find(|b| b.accepts(&operand)) {
            Some(block) => block.operands.push(operand),
            None => self.blocks.push(ConditionBlock::any_of([operand])),
        }
        self
    }

    fn values<I>(self, object_type: ObjectType, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        ids.into_iter().fold(self, |conditions, id| {
            conditions.operand(Operand::value(object_type.clone(), id))
        })
    }

    /// Matches requests to any of these application segments (`APP`).
    pub fn app_segments<I>(self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.values(ObjectType::App, ids)
    }

    /// Matches requests to this application segment (`APP`).
    pub fn app_segment(self, id: impl Into<String>) -> Self {
        self.app_segments([id])
    }

    /// Matches requests to an application of any of these segment groups (`APP_GROUP`).
    pub fn segment_groups<I>(self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.values(ObjectType::AppGroup, ids)
    }

    /// Matches users whose SAML attribute (by attribute id) has this value (`SAML`).
    pub fn saml_attribute(self, attribute_id: impl Into<String>, value: impl Into<String>) -> Self {
        self.operand(Operand::entry(ObjectType::Saml, attribute_id, value))
    }

    /// Matches users whose SCIM attribute of this IdP has this value (`SCIM`).
    pub fn scim_attribute(
        self,
        idp_id: impl Into<String>,
        attribute_id: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        // NOTE: v1 sends the IdP as `idpId` beside the attribute id. The v2 shape has no field
        // for it, so `to_v2` leaves it out (each SCIM attribute id belongs to one IdP).
        let operand = Operand {
            idp_id: Some(idp_id.into()),
            ..Operand::entry(ObjectType::Scim, attribute_id, value)
        };
        self.operand(operand)
    }

    /// Matches members of this SCIM group of this IdP (`SCIM_GROUP`). SCIM group ids are
    /// integers, so `group_id` takes a number or a string.
    pub fn scim_group(self, idp_id: impl Into<String>, group_id: impl Display) -> Self {
        let operand = Operand::entry(ObjectType::ScimGroup, idp_id, group_id.to_string());
        self.operand(operand)
    }

    /// Matches devices whose posture profile (by its UDID) passes, or fails when `passes` is
    /// false (`POSTURE`).
    pub fn posture(self, posture_udid: impl Into<String>, passes: bool) -> Self {
        let operand = Operand::entry(ObjectType::Posture, posture_udid, passes.to_string());
        self.operand(operand)
    }

    /// Matches devices on this trusted network (by its network id), or off it when `on` is
    /// false (`TRUSTED_NETWORK`).
    pub fn trusted_network(self, network_id: impl Into<String>, on: bool) -> Self {
        let operand = Operand::entry(ObjectType::TrustedNetwork, network_id, on.to_string());
        self.operand(operand)
    }

    /// Matches any of these client types, such as `zpn_client_type_zapp` (`CLIENT_TYPE`).
    pub fn client_types<I>(self, client_types: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.values(ObjectType::ClientType, client_types)
    }

    /// Matches devices running this platform, such as `windows`, `mac`, `linux`, `ios` or
    /// `android` (`PLATFORM`).
    pub fn platform(self, platform: impl Into<String>) -> Self {
        self.operand(Operand::entry(ObjectType::Platform, platform, "true"))
    }

    /// Matches requests from this country, by ISO 3166 alpha-2 code such as `US`
    /// (`COUNTRY_CODE`).
    pub fn country_code(self, code: impl Into<String>) -> Self {
        self.operand(Operand::entry(ObjectType::CountryCode, code, "true"))
    }

    /// Matches users of any of these identity providers (`IDP`).
    pub fn idps<I>(self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.values(ObjectType::Idp, ids)
    }

    /// Matches devices of any of these machine groups (`MACHINE_GRP`).
    pub fn machine_groups<I>(self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.values(ObjectType::MachineGroup, ids)
    }

    /// Matches requests from any of these ZIA locations (`LOCATION`).
    pub fn locations<I>(self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.values(ObjectType::Location, ids)
    }

    /// Matches requests through any of these branch connector groups
    /// (`BRANCH_CONNECTOR_GROUP`).
    pub fn branch_connector_groups<I>(self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.values(ObjectType::BranchConnectorGroup, ids)
    }

    /// Matches requests through any of these cloud connector groups (`EDGE_CONNECTOR_GROUP`).
    pub fn edge_connector_groups<I>(self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.values(ObjectType::EdgeConnectorGroup, ids)
    }

    /// Matches users whose risk score from `source` (such as `ZIA`) is at `level` (such as
    /// `LOW`, `MEDIUM`, `HIGH`, `CRITICAL` or `UNKNOWN`) (`RISK_FACTOR_TYPE`).
    pub fn risk_factor(self, source: impl Into<String>, level: impl Into<String>) -> Self {
        self.operand(Operand::entry(ObjectType::RiskFactorType, source, level))
    }

    /// Matches Chrome browsers that are managed by Chrome Enterprise, or unmanaged when
    /// `managed` is false (`CHROME_ENTERPRISE`).
    pub fn chrome_enterprise(self, managed: bool) -> Self {
        let operand = Operand::entry(ObjectType::ChromeEnterprise, "managed", managed.to_string());
        self.operand(operand)
    }

    /// Returns the conditions in the v1 shape, one operand per value, as the
    /// `conditions` of a [`PolicyRule`](crate::generated::PolicyRule).
    pub fn to_v1(&self) -> Vec<Conditions> {
        self.blocks.iter().map(ConditionBlock::to_v1).collect()
    }

    /// Returns the conditions in the v2 shape, one operand per object type in each block, as
    /// the `conditions` of a [`PolicyRuleV2`](crate::generated::PolicyRuleV2).
    pub fn to_v2(&self) -> Vec<PolicyRuleResourceConditions> {
        self.blocks.iter().map(ConditionBlock::to_v2).collect()
    }

    /// Reads conditions in the v1 shape, as a v1 rule carries them.
    pub fn from_v1(conditions: &[Conditions]) -> Self {
        let blocks = conditions
            .iter()
            .map(|condition| {
                let operands = condition.operands.iter().flatten().map(|operand| {
                    read_operand(
                        operand.object_type.as_deref(),
                        operand.lhs.as_deref(),
                        operand.rhs.as_deref(),
                        operand.idp_id.as_deref(),
                    )
                });
                read_block(condition.operator.as_deref(), condition.negated, operands)
            })
            .collect();
        RuleConditions { blocks }
    }

    /// Reads conditions in either shape: `values` and `entryValues` as a v2 request sends
    /// them, or one `lhs` and `rhs` per operand as ZPA returns them on every read.
    pub fn from_v2(conditions: &[PolicyRuleResourceConditions]) -> Self {
        let blocks = conditions
            .iter()
            .map(|condition| {
                let mut operands = Vec::new();
                for operand in condition.operands.iter().flatten() {
                    let object_type = operand.object_type.as_deref();
                    let idp_id = operand.idp_id.as_deref();
                    for value in operand.values.iter().flatten() {
                        operands.push(read_operand(object_type, None, Some(value), idp_id));
                    }
                    for entry in operand.entry_values.iter().flatten() {
                        let (lhs, rhs) = (entry.lhs.as_deref(), entry.rhs.as_deref());
                        operands.push(read_operand(object_type, lhs, rhs, idp_id));
                    }
                    if operand.lhs.is_some() || operand.rhs.is_some() {
                        let (lhs, rhs) = (operand.lhs.as_deref(), operand.rhs.as_deref());
                        operands.push(read_operand(object_type, lhs, rhs, idp_id));
                    }
                }
                read_block(condition.operator.as_deref(), condition.negated, operands)
            })
            .collect();
        RuleConditions { blocks }
    }
}

fn read_block(
    operator: Option<&str>,
    negated: Option<bool>,
    operands: impl IntoIterator<Item = Operand>,
) -> ConditionBlock {
    ConditionBlock {
        operator: operator.map_or(ConditionOperator::Or, ConditionOperator::from),
        negated: negated.unwrap_or(false),
        operands: operands.into_iter().collect(),
    }
}

/// Builds an operand from wire fields. ZPA returns `idpId` on every SCIM group operand it
/// reads, but only SCIM attributes need it on a write, so it is kept for those alone and a
/// rule read back compares equal to the conditions that created it.
fn read_operand(
    object_type: Option<&str>,
    lhs: Option<&str>,
    rhs: Option<&str>,
    idp_id: Option<&str>,
) -> Operand {
    let object_type = ObjectType::from(object_type.unwrap_or_default());
    let idp_id = match object_type {
        ObjectType::Scim => idp_id.map(str::to_owned),
        _ => None,
    };
    Operand {
        object_type,
        lhs: lhs.unwrap_or(ID_LHS).to_owned(),
        rhs: rhs.unwrap_or_default().to_owned(),
        idp_id,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    const IDP: &str = "216196257331285825";

    /// Returns the request body of the first recorded exchange with this method whose path
    /// ends with `suffix`.
    fn recorded_body(fixture: &str, method: &str, suffix: &str) -> Value {
        let recording: Value = serde_json::from_str(fixture).unwrap();
        recording["exchanges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["method"] == method && e["path"].as_str().unwrap().ends_with(suffix))
            .map(|e| e["request_body"].clone())
            .unwrap()
    }

    /// Turns JSON numbers into strings. The recorded requests send SCIM group ids as numbers,
    /// but the models carry every `rhs` as a string, the form that ZPA returns.
    fn numbers_as_strings(value: Value) -> Value {
        match value {
            Value::Number(number) => Value::String(number.to_string()),
            Value::Array(items) => items.into_iter().map(numbers_as_strings).collect(),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(key, value)| (key, numbers_as_strings(value)))
                    .collect(),
            ),
            other => other,
        }
    }

    fn v1_recorded() -> &'static str {
        include_str!("../../tests/fixtures/recorded/TestAccessPolicyRule.json")
    }

    fn v2_recorded() -> &'static str {
        include_str!("../../tests/fixtures/recorded/TestAccessPolicyRuleV2.json")
    }

    fn v2_conditions() -> RuleConditions {
        RuleConditions::new()
            .client_types(["zpn_client_type_exporter", "zpn_client_type_zapp"])
            .scim_group(IDP, 3251059)
            .scim_group(IDP, 3251058)
    }

    #[test]
    fn v1_matches_recorded_create() {
        let body = recorded_body(v1_recorded(), "POST", "/rule");
        let built = RuleConditions::new()
            .scim_group(IDP, 3251059)
            .scim_group(IDP, 3251058);

        let sent = serde_json::to_value(built.to_v1()).unwrap();

        assert_eq!(sent, numbers_as_strings(body["conditions"].clone()));
    }

    #[test]
    fn v1_matches_recorded_update() {
        let body = recorded_body(v1_recorded(), "PUT", "/rule/216196257331404630");
        let built = RuleConditions::new()
            .scim_group(IDP, "3251059")
            .scim_group(IDP, "3251058");

        let sent = serde_json::to_value(built.to_v1()).unwrap();

        assert_eq!(sent, numbers_as_strings(body["conditions"].clone()));
    }

    #[test]
    fn v2_matches_recorded_create_and_update() {
        let sent = serde_json::to_value(v2_conditions().to_v2()).unwrap();

        let create = recorded_body(v2_recorded(), "POST", "/rule");
        assert_eq!(sent, numbers_as_strings(create["conditions"].clone()));
        let update = recorded_body(v2_recorded(), "PUT", "/rule/216196257331404631");
        assert_eq!(sent, numbers_as_strings(update["conditions"].clone()));
    }

    #[test]
    fn recorded_read_parses_to_built() {
        let recording: Value = serde_json::from_str(v2_recorded()).unwrap();
        let read = recording["exchanges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["method"] == "GET" && e["path"].as_str().unwrap().ends_with("404631"))
            .map(|e| e["body"]["conditions"].clone())
            .unwrap();
        let read: Vec<PolicyRuleResourceConditions> = serde_json::from_value(read).unwrap();

        assert_eq!(RuleConditions::from_v2(&read), v2_conditions());
    }

    #[test]
    fn both_shapes_round_trip() {
        let built = RuleConditions::new()
            .app_segments(["1", "2"])
            .segment_groups(["3"])
            .saml_attribute("10", "engineering")
            .scim_attribute(IDP, "11", "staff")
            .scim_group(IDP, 42)
            .posture("udid-1", true)
            .trusted_network("net-1", false)
            .platform("windows")
            .country_code("US")
            .idps(["12"])
            .machine_groups(["13"])
            .locations(["14"])
            .branch_connector_groups(["15"])
            .edge_connector_groups(["16"])
            .risk_factor("ZIA", "HIGH")
            .chrome_enterprise(true)
            .push_block(ConditionBlock::any_of([Operand::value(ObjectType::App, "9")]).negated());

        assert_eq!(RuleConditions::from_v1(&built.to_v1()), built);
        // v2 has no place for the IdP of a SCIM attribute, so that one field is lost.
        let mut without_idp = built.clone();
        without_idp.blocks[2].operands[0].idp_id = None;
        assert_eq!(RuleConditions::from_v2(&built.to_v2()), without_idp);
    }

    #[test]
    fn operands_of_one_kind_share_a_block() {
        let built = RuleConditions::new()
            .app_segment("1")
            .posture("udid-1", true)
            .segment_groups(["2"])
            .app_segment("3");

        assert_eq!(built.blocks().len(), 2);
        let kinds: Vec<&str> = built.blocks()[0]
            .operands
            .iter()
            .map(|o| o.object_type.as_str())
            .collect();
        assert_eq!(kinds, ["APP", "APP_GROUP", "APP"]);
        let v2 = serde_json::to_value(built.to_v2()).unwrap();
        assert_eq!(
            v2[0],
            json!({"operator": "OR", "operands": [
                {"objectType": "APP", "values": ["1", "3"]},
                {"objectType": "APP_GROUP", "values": ["2"]},
            ]})
        );
        assert_eq!(
            v2[1],
            json!({"operator": "OR", "operands": [
                {"objectType": "POSTURE", "entryValues": [{"lhs": "udid-1", "rhs": "true"}]},
            ]})
        );
    }

    #[test]
    fn explicit_blocks_stay_apart() {
        let built = RuleConditions::new()
            .push_block(ConditionBlock::all_of([
                Operand::entry(ObjectType::Saml, "10", "a"),
                Operand::entry(ObjectType::Saml, "11", "b"),
            ]))
            .saml_attribute("12", "c");

        assert_eq!(built.blocks().len(), 2);
        let v1 = serde_json::to_value(built.to_v1()).unwrap();
        assert_eq!(v1[0]["operator"], "AND");
        assert_eq!(v1[1]["operands"][0]["lhs"], "12");
    }

    #[test]
    fn v1_scim_attribute_carries_idp() {
        let v1 = serde_json::to_value(RuleConditions::new().scim_attribute(IDP, "11", "x").to_v1())
            .unwrap();

        assert_eq!(
            v1[0]["operands"][0],
            json!({"idpId": IDP, "lhs": "11", "objectType": "SCIM", "rhs": "x"})
        );
    }

    #[test]
    fn unknown_object_type_kept() {
        let built = RuleConditions::new()
            .operand(Operand::value(ObjectType::from("NEW_KIND"), "7"))
            .operand(Operand::entry(ObjectType::from("OTHER_KIND"), "k", "v"));

        let v2 = serde_json::to_value(built.to_v2()).unwrap();

        assert_eq!(
            v2[0]["operands"][0],
            json!({"objectType": "NEW_KIND", "values": ["7"]})
        );
        assert_eq!(
            v2[1]["operands"][0],
            json!({"objectType": "OTHER_KIND", "entryValues": [{"lhs": "k", "rhs": "v"}]})
        );
        assert_eq!(RuleConditions::from_v2(&built.to_v2()), built);
    }
}
