//! Debug output never shows a secret. The log capture test is in `tests/log_redaction.rs`.

use crate::support::{API_KEY, PASSWORD, USERNAME};

#[test]
fn debug_of_client_and_builder_hides_secrets() {
    let builder = zscaler_zia::ZiaClient::builder()
        .username(USERNAME)
        .password(PASSWORD)
        .api_key(API_KEY)
        .base_url("http://127.0.0.1:9");
    let printed_builder = format!("{builder:?}");
    let zia = builder.build().expect("valid settings");
    let printed_client = format!("{zia:?}");

    for printed in [&printed_builder, &printed_client] {
        assert!(printed.contains(USERNAME), "{printed}");
        assert!(!printed.contains(PASSWORD), "{printed}");
        assert!(!printed.contains(API_KEY), "{printed}");
    }
}
