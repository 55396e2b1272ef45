//! Departments: `/api/v1/departments`.
//!
//! ```no_run
//! # async fn run(zia: zscaler_zia::ZiaClient) -> zscaler_core::Result<()> {
//! let finance = zia.departments().list().search("Finance").max_items(10).collect().await?;
//! for department in finance {
//!     println!("{} {}", department.id, department.name.unwrap_or_default());
//! }
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

/// Path of the departments collection.
pub const DEPARTMENTS_PATH: &str = "/api/v1/departments";

/// Largest page `/departments` serves.
pub const DEPARTMENTS_MAX_PAGE_SIZE: u32 = 1_000;

/// A department.
///
/// Fields this version does not know are kept in `extra`, so a read-modify-write sends them
/// back. An id of 0 means "not created yet" and is not sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Department {
    /// Id assigned by ZIA; 0 before the department is created.
    #[serde(default, skip_serializing_if = "is_unassigned")]
    pub id: i64,
    /// Department name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Id of the identity provider the department comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp_id: Option<i64>,
    /// Free-text comments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    /// Whether the department has been deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
    /// Fields this version of the SDK does not know, kept so that updates send them back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Department {
    /// Creates a department with a name, to pass to [`DepartmentsApi::create`].
    pub fn new(name: impl Into<String>) -> Self {
        Department {
            name: Some(name.into()),
            ..Department::default()
        }
    }

    /// Sets the comments.
    pub fn with_comments(mut self, comments: impl Into<String>) -> Self {
        self.comments = Some(comments.into());
        self
    }
}

impl From<&Department> for Reference {
    fn from(department: &Department) -> Self {
        Reference {
            id: department.id,
            name: department.name.clone(),
            ..Reference::default()
        }
    }
}

list_builder! {
    /// A listing of departments, returned by [`DepartmentsApi::list`] and
    /// [`DepartmentsApi::list_lite`].
    DepartmentList, Department
}

impl DepartmentList {
    /// Keeps departments whose name contains this text (`search`).
    pub fn search(self, text: impl Into<String>) -> Self {
        self.query("search", text)
    }

    /// Restricts `search` to exact name matches (`limitSearch`).
    pub fn limit_search(self, exact: bool) -> Self {
        self.query("limitSearch", exact.to_string())
    }
}

/// The departments API, returned by [`ZiaClient::departments`].
#[derive(Debug, Clone, Copy)]
pub struct DepartmentsApi<'a> {
    client: &'a ZiaClient,
}

impl<'a> DepartmentsApi<'a> {
    pub(crate) fn new(client: &'a ZiaClient) -> Self {
        DepartmentsApi { client }
    }

    /// Lists departments (`GET /departments`), 100 per page by default and at most 1,000.
    pub fn list(&self) -> DepartmentList {
        DepartmentList::new(List::paged(
            self.client.service().clone(),
            Request::get(DEPARTMENTS_PATH),
            ZiaPages,
            PageLimits::new(DEFAULT_PAGE_SIZE, DEPARTMENTS_MAX_PAGE_SIZE),
        ))
    }

    /// Lists departments with fewer fields (`GET /departments/lite`).
    // NOTE: no maximum page size is documented for `/departments/lite`; 1,000 is assumed, and a
    // server that caps lower only makes the listing take more pages.
    pub fn list_lite(&self) -> DepartmentList {
        DepartmentList::new(List::paged(
            self.client.service().clone(),
            Request::get(format!("{DEPARTMENTS_PATH}/lite")),
            ZiaPages,
            PageLimits::new(DEFAULT_PAGE_SIZE, DEPARTMENTS_MAX_PAGE_SIZE),
        ))
    }

    /// Reads one department (`GET /departments/{id}`).
    pub async fn get(&self, id: i64) -> Result<Department> {
        resource::get(self.client.service(), &format!("{DEPARTMENTS_PATH}/{id}")).await
    }

    /// Reads the id and name of one department (`GET /departments/lite/{id}`).
    pub async fn get_lite(&self, id: i64) -> Result<Department> {
        resource::get(
            self.client.service(),
            &format!("{DEPARTMENTS_PATH}/lite/{id}"),
        )
        .await
    }

    /// Creates a department (`POST /departments`) and returns it as ZIA stored it, with its
    /// new id.
    pub async fn create(&self, department: &Department) -> Result<Department> {
        resource::create(self.client.service(), DEPARTMENTS_PATH, department).await
    }

    /// Replaces a department (`PUT /departments/{id}`) and returns it as ZIA stored it. When
    /// ZIA returns no JSON, the department is read back with a GET.
    pub async fn update(&self, id: i64, department: &Department) -> Result<Department> {
        let path = format!("{DEPARTMENTS_PATH}/{id}");
        resource::update(self.client.service(), &path, department).await
    }

    /// Deletes a department (`DELETE /departments/{id}`). ZIA returns 204 with no body.
    pub async fn delete(&self, id: i64) -> Result<()> {
        resource::delete(self.client.service(), &format!("{DEPARTMENTS_PATH}/{id}")).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn department_round_trips() {
        let json = json!({
            "id": 68759308,
            "name": "A000",
            "idpId": 0,
            "comments": "first",
            "deleted": false,
            "sourceSystem": "SCIM"
        });
        let department: Department = serde_json::from_value(json.clone()).expect("decodes");
        assert_eq!(department.deleted, Some(false));
        assert_eq!(serde_json::to_value(&department).expect("encodes"), json);
    }

    #[test]
    fn department_becomes_reference() {
        let department = Department {
            id: 7,
            name: Some("Sales".into()),
            comments: Some("not part of a reference".into()),
            ..Department::default()
        };
        assert_eq!(
            Reference::from(&department),
            Reference::with_name(7, "Sales")
        );
    }
}
