//! The log of every request a simulator received.

use std::sync::Mutex;

use serde_json::Value;

/// One request as the simulator received it, with the status of its response.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedRequest {
    /// HTTP method in upper case.
    pub method: String,
    /// Request path without the query, as sent (not percent-decoded).
    pub path: String,
    /// Decoded query pairs in request order.
    pub query: Vec<(String, String)>,
    /// Status code of the response; 0 when the connection was closed without a response or the
    /// request is still being handled.
    pub status: u16,
    /// Request body: parsed JSON, form fields as a JSON object, other text as a JSON string,
    /// or `None` when the body was empty. The `client_secret` and `client_assertion` of OneAPI
    /// token requests are masked.
    pub body: Option<Value>,
    /// The `x-partner-id` header, which OneAPI clients may send on every request.
    pub partner_id: Option<String>,
}

#[derive(Debug, Default)]
struct Log {
    entries: Vec<RecordedRequest>,
    /// Bumped by `clear`, so that requests in flight during a clear do not write into the
    /// new log.
    generation: u64,
}

/// Thread-safe request log.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    log: Mutex<Log>,
}

/// Position of an entry in the log, used to fill in its status later.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EntryHandle {
    index: usize,
    generation: u64,
}

impl Recorder {
    /// Appends a request with status 0 and returns its handle.
    pub fn begin(&self, request: RecordedRequest) -> EntryHandle {
        let mut log = self.log.lock().expect("request log lock poisoned");
        log.entries.push(request);
        EntryHandle {
            index: log.entries.len() - 1,
            generation: log.generation,
        }
    }

    /// Sets the response status of an entry, unless the log was cleared since.
    pub fn finish(&self, handle: EntryHandle, status: u16) {
        let mut log = self.log.lock().expect("request log lock poisoned");
        if log.generation == handle.generation
            && let Some(entry) = log.entries.get_mut(handle.index)
        {
            entry.status = status;
        }
    }

    /// Returns a copy of every entry in order.
    pub fn entries(&self) -> Vec<RecordedRequest> {
        self.log
            .lock()
            .expect("request log lock poisoned")
            .entries
            .clone()
    }

    /// Counts entries with this method (case-insensitive) and exact path.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.log
            .lock()
            .expect("request log lock poisoned")
            .entries
            .iter()
            .filter(|entry| entry.method.eq_ignore_ascii_case(method) && entry.path == path)
            .count()
    }

    /// Returns the `x-partner-id` of the last request that carried one.
    pub fn last_partner_id(&self) -> Option<String> {
        self.log
            .lock()
            .expect("request log lock poisoned")
            .entries
            .iter()
            .rev()
            .find_map(|entry| entry.partner_id.clone())
    }

    /// Empties the log.
    pub fn clear(&self) {
        let mut log = self.log.lock().expect("request log lock poisoned");
        log.entries.clear();
        log.generation += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str) -> RecordedRequest {
        RecordedRequest {
            method: "GET".to_string(),
            path: path.to_string(),
            query: Vec::new(),
            status: 0,
            body: None,
            partner_id: None,
        }
    }

    #[test]
    fn finish_after_clear_ignored() {
        let recorder = Recorder::default();
        let handle = recorder.begin(request("/a"));
        recorder.clear();
        recorder.begin(request("/b"));
        recorder.finish(handle, 200);
        let entries = recorder.entries();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].status, 0);
        assert_eq!(recorder.count("get", "/b"), 1);
    }

    #[test]
    fn last_partner_id_skips_requests_without_one() {
        let recorder = Recorder::default();
        assert_eq!(recorder.last_partner_id(), None);
        recorder.begin(RecordedRequest {
            partner_id: Some("p-1".to_string()),
            ..request("/a")
        });
        recorder.begin(request("/b"));
        assert_eq!(recorder.last_partner_id().as_deref(), Some("p-1"));
    }
}
