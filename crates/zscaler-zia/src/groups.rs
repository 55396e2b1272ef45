//! User groups: `/api/v1/groups`.
//!
//! ```no_run
//! # async fn run(zia: zscaler_zia::ZiaClient) -> zscaler_core::Result<()> {
//! use zscaler_zia::groups::Group;
//!
//! let engineering = zia.groups().list().search("Engineering").collect().await?;
//! let created = zia.groups().create(&Group::new("Contractors")).await?;
//! println!("{} matches; created group {}", engineering.len(), created.id);
//! # Ok(())
//! # }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zscaler_core::{List, PageLimits, Request, Result};

use crate::ZiaClient;
use crate::common::{Reference, is_unassigned};
use crate::pagination::{DEFAULT_PAGE_SIZE, ZiaPages, list_builder};
use crate::resource;

/// Path of the groups collection.
pub const GROUPS_PATH: &str = "/api/v1/groups";

/// Largest page `/groups` serves.
pub const GROUPS_MAX_PAGE_SIZE: u32 = 1_000;

/// A user group.
///
/// Fields this version does not know are kept in `extra`, so a read-modify-write sends them
/// back. An id of 0 means "not created yet" and is not sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// Id assigned by ZIA; 0 before the group is created.
    #[serde(default, skip_serializing_if = "is_unassigned")]
    pub id: i64,
    /// Group name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Id of the identity provider the group comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp_id: Option<i64>,
    /// Free-text comments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    /// Whether ZIA defined the group itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_system_defined: Option<bool>,
    /// Fields this version of the SDK does not know, kept so that updates send them back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Group {
    /// Creates a group with a name, to pass to [`GroupsApi::create`].
    pub fn new(name: impl Into<String>) -> Self {
        Group {
            name: Some(name.into()),
            ..Group::default()
        }
    }

    /// Sets the comments.
    pub fn with_comments(mut self, comments: impl Into<String>) -> Self {
        self.comments = Some(comments.into());
        self
    }
}

impl From<&Group> for Reference {
    fn from(group: &Group) -> Self {
        Reference {
            id: group.id,
            name: group.name.clone(),
            ..Reference::default()
        }
    }
}

list_builder! {
    /// A listing of groups, returned by [`GroupsApi::list`] and [`GroupsApi::list_lite`].
    GroupList, Group
}

impl GroupList {
    /// Keeps groups whose name contains this text (`search`).
    pub fn search(self, text: impl Into<String>) -> Self {
        self.query("search", text)
    }

    /// Keeps groups defined by this source (`definedBy`), such as an identity provider.
    pub fn defined_by(self, source: impl Into<String>) -> Self {
        self.query("definedBy", source)
    }
}

/// The groups API, returned by [`ZiaClient::groups`].
#[derive(Debug, Clone, Copy)]
pub struct GroupsApi<'a> {
    client: &'a ZiaClient,
}

impl<'a> GroupsApi<'a> {
    pub(crate) fn new(client: &'a ZiaClient) -> Self {
        GroupsApi { client }
    }

    /// Lists groups (`GET /groups`), 100 per page by default and at most 1,000.
    pub fn list(&self) -> GroupList {
        GroupList::new(List::paged(
            self.client.service().clone(),
            Request::get(GROUPS_PATH),
            ZiaPages,
            PageLimits::new(DEFAULT_PAGE_SIZE, GROUPS_MAX_PAGE_SIZE),
        ))
    }

    /// Lists groups with fewer fields (`GET /groups/lite`).
    // NOTE: no maximum page size is documented for `/groups/lite`; 1,000 is assumed, and a
    // server that caps lower only makes the listing take more pages.
    pub fn list_lite(&self) -> GroupList {
        GroupList::new(List::paged(
            self.client.service().clone(),
            Request::get(format!("{GROUPS_PATH}/lite")),
            ZiaPages,
            PageLimits::new(DEFAULT_PAGE_SIZE, GROUPS_MAX_PAGE_SIZE),
        ))
    }

    /// Reads one group (`GET /groups/{id}`).
    pub async fn get(&self, id: i64) -> Result<Group> {
        resource::get(self.client.service(), &format!("{GROUPS_PATH}/{id}")).await
    }

    /// Creates a group (`POST /groups`) and returns it as ZIA stored it, with its new id.
    pub async fn create(&self, group: &Group) -> Result<Group> {
        resource::create(self.client.service(), GROUPS_PATH, group).await
    }

    /// Replaces a group (`PUT /groups/{id}`) and returns it as ZIA stored it. When ZIA returns
    /// no JSON, the group is read back with a GET.
    pub async fn update(&self, id: i64, group: &Group) -> Result<Group> {
        resource::update(self.client.service(), &format!("{GROUPS_PATH}/{id}"), group).await
    }

    /// Deletes a group (`DELETE /groups/{id}`). ZIA returns 204 with no body.
    pub async fn delete(&self, id: i64) -> Result<()> {
        resource::delete(self.client.service(), &format!("{GROUPS_PATH}/{id}")).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn group_round_trips() {
        let json = json!({
            "id": 168108675,
            "name": "Contractors",
            "idpId": 3,
            "comments": "external staff",
            "isSystemDefined": false,
            "scimGroup": true
        });
        let group: Group = serde_json::from_value(json.clone()).expect("decodes");
        assert_eq!(group.idp_id, Some(3));
        assert_eq!(serde_json::to_value(&group).expect("encodes"), json);
    }

    #[test]
    fn new_group_sends_only_name() {
        assert_eq!(
            serde_json::to_value(Group::new("Contractors")).expect("encodes"),
            json!({"name": "Contractors"})
        );
    }
}
