//! Installing an app as Bitrix24 does: the ONAPPINSTALL and ONAPPUNINSTALL events' forms.

use b24_placement::time::unix_now;
use b24_placement::Secret;

use crate::oauth::random_token;
use crate::portal::Portal;

impl Portal {
    /// Installs an app as Bitrix24 does: a new application token, fresh OAuth tokens, and
    /// the ONAPPINSTALL event's form (`event`, `data[...]`, `ts`, `auth[...]`) for the
    /// app's install URL. `base` is where this portal is served (`http://127.0.0.1:3000`).
    pub fn install_event(&self, base: &str) -> (String, Secret) {
        let issued = self.issue_tokens();
        let application_token = Secret::new(random_token("", 16));
        let base = base.trim_end_matches('/');
        {
            let mut inner = self.lock();
            inner.application_token = Some(application_token.clone());
            inner.base = Some(base.to_owned());
        }
        let domain = base.split("://").nth(1).unwrap_or(base);
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("event", "ONAPPINSTALL")
            .append_pair("data[VERSION]", "1")
            .append_pair("data[ACTIVE]", "Y")
            .append_pair("data[INSTALLED]", "Y")
            .append_pair("data[LANGUAGE_ID]", "en")
            .append_pair("ts", &unix_now().to_string())
            .append_pair("auth[access_token]", issued.access_token.expose())
            .append_pair(
                "auth[expires_in]",
                &self.config.token_lifetime.as_secs().to_string(),
            )
            .append_pair("auth[scope]", "crm,placement")
            .append_pair("auth[domain]", domain)
            .append_pair("auth[server_endpoint]", &format!("{base}/rest/"))
            .append_pair("auth[status]", "L")
            .append_pair("auth[client_endpoint]", &format!("{base}/rest/"))
            .append_pair("auth[member_id]", Self::MEMBER_ID)
            .append_pair("auth[user_id]", "1")
            .append_pair("auth[refresh_token]", issued.refresh_token.expose())
            .append_pair("auth[application_token]", application_token.expose());
        (form.finish(), application_token)
    }

    /// The ONAPPUNINSTALL event's form, with the application token given.
    pub fn uninstall_event(&self, base: &str, application_token: &str, clean: bool) -> String {
        let base = base.trim_end_matches('/');
        let domain = base.split("://").nth(1).unwrap_or(base);
        form_urlencoded::Serializer::new(String::new())
            .append_pair("event", "ONAPPUNINSTALL")
            .append_pair("data[LANGUAGE_ID]", "en")
            .append_pair("data[CLEAN]", if clean { "1" } else { "0" })
            .append_pair("ts", &unix_now().to_string())
            .append_pair("auth[domain]", domain)
            .append_pair("auth[server_endpoint]", &format!("{base}/rest/"))
            .append_pair("auth[client_endpoint]", &format!("{base}/rest/"))
            .append_pair("auth[member_id]", Self::MEMBER_ID)
            .append_pair("auth[application_token]", application_token)
            .finish()
    }
}
