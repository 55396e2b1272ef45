//! Users: `/api/v1/users`.
//!
//! ```no_run
//! # async fn run(zia: zscaler_zia::ZiaClient) -> zscaler_core::Result<()> {
//! use zscaler_zia::common::Reference;
//! use zscaler_zia::users::User;
//!
//! let sales = zia.users().list().department("Sales").collect().await?;
//! println!("{} users in Sales", sales.len());
//!
//! let user = User::new("Jane Doe", "jane@example.com", Reference::new(7), vec![Reference::new(9)])
//!     .with_password("a long passphrase");
//! let created = zia.users().create(&user).await?;
//!
//! let mut changed = zia.users().get(created.id).await?;
//! changed.comments = Some("moved to the London office".into());
//! zia.users().update(changed.id, &changed).await?;
//! # Ok(())
//! # }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zscaler_core::{List, PageLimits, Request, Result, Secret};

use crate::ZiaClient;
use crate::common::{Reference, is_unassigned, optional_secret};
use crate::pagination::{DEFAULT_PAGE_SIZE, ZiaPages, list_builder};
use crate::resource::{self, is_json};

/// Path of the users collection.
pub const USERS_PATH: &str = "/api/v1/users";

/// Largest page `/users` serves.
pub const USERS_MAX_PAGE_SIZE: u32 = 10_000;

/// Largest page `/users/auditors` and `/users/references` serve.
pub const USER_SUBLIST_MAX_PAGE_SIZE: u32 = 1_000;

/// Maximum number of ids one `POST /users/bulkDelete` accepts. [`UsersApi::bulk_delete`] sends
/// larger sets in chunks of this size.
pub const BULK_DELETE_MAX_IDS: usize = 500;

zscaler_core::string_enum! {
    /// The kind of an administrator account (`type`). End users have none.
    pub enum UserType {
        /// Super administrator.
        SuperAdmin = "SUPERADMIN",
        /// Administrator.
        Admin = "ADMIN",
        /// Auditor.
        Auditor = "AUDITOR",
        /// Guest.
        Guest = "GUEST",
        /// Report user.
        ReportUser = "REPORT_USER",
        /// The default user of unauthenticated traffic.
        UnauthTrafficDefault = "UNAUTH_TRAFFIC_DEFAULT",
    }
}

zscaler_core::string_enum! {
    /// A way a user may authenticate to the ZIA service (`authMethods`).
    pub enum AuthMethod {
        /// Basic authentication.
        Basic = "BASIC",
        /// Digest authentication.
        Digest = "DIGEST",
    }
}

/// A ZIA user.
///
/// Every field but the id is optional, and fields this version does not know are kept in
/// `extra`, so a user read with [`UsersApi::get`] can be changed and sent back with
/// [`UsersApi::update`] without losing anything. An id of 0 means "not created yet" and is not
/// sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Id assigned by ZIA; 0 before the user is created.
    #[serde(default, skip_serializing_if = "is_unassigned")]
    pub id: i64,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// E-mail address, which is also the login name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Groups the user belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<Reference>>,
    /// Department of the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Reference>,
    /// Free-text comments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    /// Address that temporary authentication e-mails go to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temp_auth_email: Option<String>,
    /// Authentication methods the user may use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_methods: Option<Vec<AuthMethod>>,
    /// Password, sent when creating a user or changing the password. ZIA never returns it.
    #[serde(
        default,
        with = "optional_secret",
        skip_serializing_if = "Option::is_none"
    )]
    pub password: Option<Secret>,
    /// Whether the user is also an administrator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_user: Option<bool>,
    /// Kind of administrator account.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
    /// Whether the user has been deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
    /// Whether the user is disabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// Whether the user can be changed through the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_non_editable: Option<bool>,
    /// Whether the user is in a pilot group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pilot_user: Option<bool>,
    /// When the password was last changed, in epoch seconds; 0 when never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pwd_last_modified_time: Option<i64>,
    /// Fields this version of the SDK does not know, kept so that updates send them back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl User {
    /// Creates a user to pass to [`UsersApi::create`]: ZIA requires a name, an e-mail address,
    /// a department and at least one group.
    pub fn new(
        name: impl Into<String>,
        email: impl Into<String>,
        department: impl Into<Reference>,
        groups: Vec<Reference>,
    ) -> Self {
        User {
            name: Some(name.into()),
            email: Some(email.into()),
            department: Some(department.into()),
            groups: Some(groups),
            ..User::default()
        }
    }

    /// Sets the password.
    pub fn with_password(mut self, password: impl Into<Secret>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// Sets the comments.
    pub fn with_comments(mut self, comments: impl Into<String>) -> Self {
        self.comments = Some(comments.into());
        self
    }

    /// Sets the authentication methods.
    pub fn with_auth_methods(mut self, methods: Vec<AuthMethod>) -> Self {
        self.auth_methods = Some(methods);
        self
    }
}

list_builder! {
    /// A listing of users, returned by [`UsersApi::list`] and [`UsersApi::auditors`].
    ///
    /// Set filters and limits, then call [`stream`](UserList::stream),
    /// [`pages`](UserList::pages) or [`collect`](UserList::collect).
    UserList, User
}

impl UserList {
    /// Keeps users whose name matches (`name`).
    pub fn name(self, name: impl Into<String>) -> Self {
        self.query("name", name)
    }

    /// Keeps users of the department with this name (`dept`).
    pub fn department(self, department: impl Into<String>) -> Self {
        self.query("dept", department)
    }

    /// Keeps users of the group with this name (`group`).
    pub fn group(self, group: impl Into<String>) -> Self {
        self.query("group", group)
    }
}

list_builder! {
    /// A listing of user references (id and name), returned by [`UsersApi::references`].
    UserReferenceList, Reference
}

impl UserReferenceList {
    /// Keeps users whose name matches (`name`).
    pub fn name(self, name: impl Into<String>) -> Self {
        self.query("name", name)
    }

    /// Includes administrators in the listing (`includeAdminUsers`).
    pub fn include_admin_users(self, include: bool) -> Self {
        self.query("includeAdminUsers", include.to_string())
    }
}

/// The ids of a bulk delete, as sent.
#[derive(Serialize)]
struct BulkDeleteIds<'a> {
    ids: &'a [i64],
}

/// The body of a bulk delete response: the ids ZIA reports deleted, as an object or a bare
/// array, or any other JSON.
#[derive(Deserialize)]
#[serde(untagged)]
enum BulkDeleteReply {
    Ids { ids: Vec<i64> },
    List(Vec<i64>),
    Other(serde::de::IgnoredAny),
}

/// The users API, returned by [`ZiaClient::users`].
#[derive(Debug, Clone, Copy)]
pub struct UsersApi<'a> {
    client: &'a ZiaClient,
}

impl<'a> UsersApi<'a> {
    pub(crate) fn new(client: &'a ZiaClient) -> Self {
        UsersApi { client }
    }

    /// Lists users (`GET /users`), 100 per page by default and at most 10,000.
    pub fn list(&self) -> UserList {
        UserList::new(List::paged(
            self.client.service().clone(),
            Request::get(USERS_PATH),
            ZiaPages,
            PageLimits::new(DEFAULT_PAGE_SIZE, USERS_MAX_PAGE_SIZE),
        ))
    }

    /// Lists auditors (`GET /users/auditors`), at most 1,000 per page.
    pub fn auditors(&self) -> UserList {
        UserList::new(List::paged(
            self.client.service().clone(),
            Request::get(format!("{USERS_PATH}/auditors")),
            ZiaPages,
            PageLimits::new(DEFAULT_PAGE_SIZE, USER_SUBLIST_MAX_PAGE_SIZE),
        ))
    }

    /// Lists the id and name of every user (`GET /users/references`), at most 1,000 per page.
    pub fn references(&self) -> UserReferenceList {
        UserReferenceList::new(List::paged(
            self.client.service().clone(),
            Request::get(format!("{USERS_PATH}/references")),
            ZiaPages,
            PageLimits::new(DEFAULT_PAGE_SIZE, USER_SUBLIST_MAX_PAGE_SIZE),
        ))
    }

    /// Reads one user (`GET /users/{id}`).
    pub async fn get(&self, id: i64) -> Result<User> {
        resource::get(self.client.service(), &format!("{USERS_PATH}/{id}")).await
    }

    /// Creates a user (`POST /users`) and returns it as ZIA stored it, with its new id.
    pub async fn create(&self, user: &User) -> Result<User> {
        resource::create(self.client.service(), USERS_PATH, user).await
    }

    /// Replaces a user (`PUT /users/{id}`) and returns it as ZIA stored it. The body is sent
    /// as given, every field included, so start from a user read with [`get`](Self::get).
    /// When ZIA returns no JSON, the user is read back with a GET.
    pub async fn update(&self, id: i64, user: &User) -> Result<User> {
        resource::update(self.client.service(), &format!("{USERS_PATH}/{id}"), user).await
    }

    /// Deletes a user (`DELETE /users/{id}`). ZIA returns 204 with no body.
    pub async fn delete(&self, id: i64) -> Result<()> {
        resource::delete(self.client.service(), &format!("{USERS_PATH}/{id}")).await
    }

    /// Deletes many users (`POST /users/bulkDelete` with `{"ids":[...]}`), in chunks of at
    /// most [`BULK_DELETE_MAX_IDS`], and returns the ids ZIA reports deleted. A chunk whose
    /// response lists no ids (an empty body, plain text, or JSON that is neither `{"ids":[...]}`
    /// nor an array of ids) counts as all of its ids deleted. Sends nothing for an empty slice.
    ///
    /// Stops at the first chunk that fails and returns its error; the chunks before it have
    /// been deleted.
    pub async fn bulk_delete(&self, ids: &[i64]) -> Result<Vec<i64>> {
        let service = self.client.service();
        let path = format!("{USERS_PATH}/bulkDelete");
        let mut deleted = Vec::with_capacity(ids.len());
        for (index, chunk) in ids.chunks(BULK_DELETE_MAX_IDS).enumerate() {
            let request = Request::post(path.as_str()).json(&BulkDeleteIds { ids: chunk })?;
            let result = service.execute(&request).await;
            // The deleted users' own cached responses sit below `/users`, not below the
            // bulk-delete path, so they are evicted here.
            service.evict_cached(USERS_PATH);
            let response = result.inspect_err(|error| {
                if index > 0 {
                    tracing::warn!(
                        deleted = deleted.len(),
                        remaining = ids.len() - deleted.len(),
                        %error,
                        "bulk delete stopped after a failed chunk"
                    );
                }
            })?;
            if !is_json(&response) {
                deleted.extend_from_slice(chunk);
                continue;
            }
            match service.transport().decode(&request, &response)? {
                BulkDeleteReply::Ids { ids } | BulkDeleteReply::List(ids) => deleted.extend(ids),
                BulkDeleteReply::Other(_) => deleted.extend_from_slice(chunk),
            }
        }
        Ok(deleted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn user_round_trips_known_and_unknown_fields() {
        let json = json!({
            "id": 165214882,
            "name": "Jane",
            "email": "jane@example.com",
            "groups": [{"id": 24326814, "name": "Service Admin"}],
            "department": {"id": 24326815, "name": "Service Admin"},
            "adminUser": true,
            "type": "SUPERADMIN",
            "authMethods": ["BASIC", "PASSKEY"],
            "isNonEditable": false,
            "pwdLastModifiedTime": 0,
            "deleted": false,
            "pilotUser": false,
            "newFieldFromTheFuture": {"nested": [1, 2]}
        });
        let user: User = serde_json::from_value(json.clone()).expect("decodes");
        assert_eq!(user.user_type, Some(UserType::SuperAdmin));
        assert_eq!(
            user.auth_methods,
            Some(vec![
                AuthMethod::Basic,
                AuthMethod::Unknown("PASSKEY".into())
            ])
        );
        assert!(user.extra.contains_key("newFieldFromTheFuture"));
        assert_eq!(serde_json::to_value(&user).expect("encodes"), json);
    }

    #[test]
    fn new_user_omits_id() {
        let user = User::new(
            "Jane",
            "jane@example.com",
            Reference::new(7),
            vec![9.into()],
        )
        .with_password("hunter2-passphrase");
        assert_eq!(
            serde_json::to_value(&user).expect("encodes"),
            json!({
                "name": "Jane",
                "email": "jane@example.com",
                "groups": [{"id": 9}],
                "department": {"id": 7},
                "password": "hunter2-passphrase"
            })
        );
    }

    #[test]
    fn password_hidden_from_debug() {
        let user = User::default().with_password("hunter2-passphrase");
        let printed = format!("{user:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
    }

    #[test]
    fn bulk_delete_reply_forms() {
        let object: BulkDeleteReply = serde_json::from_str(r#"{"ids":[1,2]}"#).expect("object");
        assert!(matches!(object, BulkDeleteReply::Ids { ids } if ids == [1, 2]));
        let list: BulkDeleteReply = serde_json::from_str("[3]").expect("list");
        assert!(matches!(list, BulkDeleteReply::List(ids) if ids == [3]));
        let other: BulkDeleteReply = serde_json::from_str(r#"{"status":"ok"}"#).expect("other");
        assert!(matches!(other, BulkDeleteReply::Other(_)));
    }
}
