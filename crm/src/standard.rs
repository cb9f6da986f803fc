//! The documented standard fields of each CRM object (FIELDS.md §7, §8): the schema when
//! no portal is asked, and what the local portal serves. Declared once per object: the
//! classic name, the `crm.item` name, the type and the flags.

use b24_placement::placement::Entity;
use indexmap::IndexMap;

use crate::schema::{Field, NameForm, Schema};
use crate::types::FieldType;

/// Read-only.
const RO: u8 = 1;
/// Immutable: set only on add.
const IM: u8 = 2;
/// Multiple.
const M: u8 = 4;
/// Required.
const R: u8 = 8;

/// One standard field: (classic name, `crm.item` name, type, flags, status dictionary).
type Std = (&'static str, &'static str, &'static str, u8, &'static str);

const UTM: [Std; 5] = [
    ("UTM_SOURCE", "utmSource", "string", 0, ""),
    ("UTM_MEDIUM", "utmMedium", "string", 0, ""),
    ("UTM_CAMPAIGN", "utmCampaign", "string", 0, ""),
    ("UTM_CONTENT", "utmContent", "string", 0, ""),
    ("UTM_TERM", "utmTerm", "string", 0, ""),
];

const DEAL: &[Std] = &[
    ("ID", "id", "integer", RO, ""),
    ("TITLE", "title", "string", 0, ""),
    ("TYPE_ID", "typeId", "crm_status", 0, "DEAL_TYPE"),
    ("CATEGORY_ID", "categoryId", "crm_category", IM, ""),
    ("STAGE_ID", "stageId", "crm_status", 0, "DEAL_STAGE"),
    ("STAGE_SEMANTIC_ID", "stageSemanticId", "string", RO, ""),
    ("IS_NEW", "isNew", "char", RO, ""),
    ("IS_RECURRING", "isRecurring", "char", 0, ""),
    ("IS_RETURN_CUSTOMER", "isReturnCustomer", "char", 0, ""),
    ("IS_REPEATED_APPROACH", "isRepeatedApproach", "char", 0, ""),
    ("PROBABILITY", "probability", "integer", 0, ""),
    ("CURRENCY_ID", "currencyId", "crm_currency", 0, ""),
    ("OPPORTUNITY", "opportunity", "double", 0, ""),
    ("IS_MANUAL_OPPORTUNITY", "isManualOpportunity", "char", 0, ""),
    ("TAX_VALUE", "taxValue", "double", 0, ""),
    ("COMPANY_ID", "companyId", "crm_company", 0, ""),
    ("CONTACT_ID", "contactId", "crm_contact", 0, ""),
    ("CONTACT_IDS", "contactIds", "crm_contact", M, ""),
    ("QUOTE_ID", "quoteId", "crm_quote", RO, ""),
    ("BEGINDATE", "begindate", "date", 0, ""),
    ("CLOSEDATE", "closedate", "date", 0, ""),
    ("OPENED", "opened", "char", 0, ""),
    ("CLOSED", "closed", "char", 0, ""),
    ("COMMENTS", "comments", "string", 0, ""),
    ("ASSIGNED_BY_ID", "assignedById", "user", 0, ""),
    ("CREATED_BY_ID", "createdBy", "user", RO, ""),
    ("MODIFY_BY_ID", "updatedBy", "user", RO, ""),
    ("MOVED_BY_ID", "movedBy", "user", RO, ""),
    ("DATE_CREATE", "createdTime", "datetime", RO, ""),
    ("DATE_MODIFY", "updatedTime", "datetime", RO, ""),
    ("MOVED_TIME", "movedTime", "datetime", RO, ""),
    ("SOURCE_ID", "sourceId", "crm_status", 0, "SOURCE"),
    ("SOURCE_DESCRIPTION", "sourceDescription", "string", 0, ""),
    ("LEAD_ID", "leadId", "crm_lead", RO, ""),
    ("ADDITIONAL_INFO", "additionalInfo", "string", 0, ""),
    ("LOCATION_ID", "locationId", "location", 0, ""),
    ("ORIGINATOR_ID", "originatorId", "string", 0, ""),
    ("ORIGIN_ID", "originId", "string", 0, ""),
    UTM[0],
    UTM[1],
    UTM[2],
    UTM[3],
    UTM[4],
    ("LAST_ACTIVITY_TIME", "lastActivityTime", "datetime", RO, ""),
    ("LAST_ACTIVITY_BY", "lastActivityBy", "user", RO, ""),
];

/// The names and addresses leads and contacts share.
const PERSON: &[Std] = &[
    ("HONORIFIC", "honorific", "crm_status", 0, "HONORIFIC"),
    ("NAME", "name", "string", 0, ""),
    ("SECOND_NAME", "secondName", "string", 0, ""),
    ("LAST_NAME", "lastName", "string", 0, ""),
    ("BIRTHDATE", "birthdate", "date", 0, ""),
    ("POST", "post", "string", 0, ""),
    ("ADDRESS", "address", "string", 0, ""),
    ("ADDRESS_2", "address2", "string", 0, ""),
    ("ADDRESS_CITY", "addressCity", "string", 0, ""),
    ("ADDRESS_POSTAL_CODE", "addressPostalCode", "string", 0, ""),
    ("ADDRESS_REGION", "addressRegion", "string", 0, ""),
    ("ADDRESS_PROVINCE", "addressProvince", "string", 0, ""),
    ("ADDRESS_COUNTRY", "addressCountry", "string", 0, ""),
    ("ADDRESS_COUNTRY_CODE", "addressCountryCode", "string", 0, ""),
    ("ADDRESS_LOC_ADDR_ID", "addressLocAddrId", "integer", 0, ""),
];

/// What every classic object has about who and when.
const TRACKED: &[Std] = &[
    ("ASSIGNED_BY_ID", "assignedById", "user", 0, ""),
    ("CREATED_BY_ID", "createdBy", "user", RO, ""),
    ("MODIFY_BY_ID", "updatedBy", "user", RO, ""),
    ("DATE_CREATE", "createdTime", "datetime", RO, ""),
    ("DATE_MODIFY", "updatedTime", "datetime", RO, ""),
    ("OPENED", "opened", "char", 0, ""),
    ("COMMENTS", "comments", "string", 0, ""),
    ("SOURCE_ID", "sourceId", "crm_status", 0, "SOURCE"),
    ("SOURCE_DESCRIPTION", "sourceDescription", "string", 0, ""),
    ("ORIGINATOR_ID", "originatorId", "string", 0, ""),
    ("ORIGIN_ID", "originId", "string", 0, ""),
    UTM[0],
    UTM[1],
    UTM[2],
    UTM[3],
    UTM[4],
    ("LAST_ACTIVITY_TIME", "lastActivityTime", "datetime", RO, ""),
    ("LAST_ACTIVITY_BY", "lastActivityBy", "user", RO, ""),
];

/// Phones, e-mails, sites, messengers, links: leads, contacts, companies.
const MULTIFIELDS: &[Std] = &[
    ("PHONE", "phone", "crm_multifield", M, ""),
    ("EMAIL", "email", "crm_multifield", M, ""),
    ("WEB", "web", "crm_multifield", M, ""),
    ("IM", "im", "crm_multifield", M, ""),
    ("LINK", "link", "crm_multifield", M, ""),
];

const LEAD: &[Std] = &[
    ("ID", "id", "integer", RO, ""),
    ("TITLE", "title", "string", 0, ""),
    ("COMPANY_TITLE", "companyTitle", "string", 0, ""),
    ("STATUS_ID", "statusId", "crm_status", 0, "STATUS"),
    ("STATUS_DESCRIPTION", "statusDescription", "string", 0, ""),
    ("STATUS_SEMANTIC_ID", "statusSemanticId", "string", RO, ""),
    ("CURRENCY_ID", "currencyId", "crm_currency", 0, ""),
    ("OPPORTUNITY", "opportunity", "double", 0, ""),
    ("IS_MANUAL_OPPORTUNITY", "isManualOpportunity", "char", 0, ""),
    ("HAS_PHONE", "hasPhone", "char", RO, ""),
    ("HAS_EMAIL", "hasEmail", "char", RO, ""),
    ("HAS_IMOL", "hasImol", "char", RO, ""),
    ("MOVED_BY_ID", "movedBy", "user", RO, ""),
    ("MOVED_TIME", "movedTime", "datetime", RO, ""),
    ("COMPANY_ID", "companyId", "crm_company", 0, ""),
    ("CONTACT_ID", "contactId", "crm_contact", 0, ""),
    ("CONTACT_IDS", "contactIds", "crm_contact", M, ""),
    ("IS_RETURN_CUSTOMER", "isReturnCustomer", "char", RO, ""),
    ("DATE_CLOSED", "dateClosed", "datetime", RO, ""),
];

const CONTACT: &[Std] = &[
    ("ID", "id", "integer", RO, ""),
    ("PHOTO", "photo", "file", 0, ""),
    ("TYPE_ID", "typeId", "crm_status", 0, "CONTACT_TYPE"),
    ("EXPORT", "export", "char", 0, ""),
    ("COMPANY_ID", "companyId", "crm_company", 0, ""),
    ("COMPANY_IDS", "companyIds", "crm_company", M, ""),
    ("LEAD_ID", "leadId", "crm_lead", RO, ""),
];

const COMPANY: &[Std] = &[
    ("ID", "id", "integer", RO, ""),
    ("TITLE", "title", "string", R, ""),
    ("COMPANY_TYPE", "typeId", "crm_status", 0, "COMPANY_TYPE"),
    ("LOGO", "logo", "file", 0, ""),
    ("ADDRESS", "address", "string", 0, ""),
    ("ADDRESS_LEGAL", "addressLegal", "string", 0, ""),
    ("BANKING_DETAILS", "bankingDetails", "string", 0, ""),
    ("INDUSTRY", "industry", "crm_status", 0, "INDUSTRY"),
    ("EMPLOYEES", "employees", "crm_status", 0, "EMPLOYEES"),
    ("CURRENCY_ID", "currencyId", "crm_currency", 0, ""),
    ("REVENUE", "revenue", "double", 0, ""),
    ("IS_MY_COMPANY", "isMyCompany", "char", 0, ""),
    ("CONTACT_ID", "contactIds", "crm_contact", M, ""),
    ("LEAD_ID", "leadId", "crm_lead", RO, ""),
    (
        "LAST_COMMUNICATION_TIME",
        "lastCommunicationTime",
        "string",
        RO,
        "",
    ),
];

const QUOTE: &[Std] = &[
    ("ID", "id", "integer", RO, ""),
    ("QUOTE_NUMBER", "number", "string", RO, ""),
    ("TITLE", "title", "string", R, ""),
    ("STATUS_ID", "stageId", "crm_status", 0, "QUOTE_STATUS"),
    ("CURRENCY_ID", "currencyId", "crm_currency", 0, ""),
    ("OPPORTUNITY", "opportunity", "double", 0, ""),
    ("TAX_VALUE", "taxValue", "double", 0, ""),
    ("COMPANY_ID", "companyId", "crm_company", 0, ""),
    ("MYCOMPANY_ID", "mycompanyId", "crm_company", 0, ""),
    ("CONTACT_ID", "contactId", "crm_contact", 0, ""),
    ("CONTACT_IDS", "contactIds", "crm_contact", M, ""),
    ("BEGINDATE", "begindate", "date", 0, ""),
    ("CLOSEDATE", "closedate", "date", 0, ""),
    ("ACTUAL_DATE", "actualDate", "date", 0, ""),
    ("CLOSED", "closed", "char", 0, ""),
    ("CONTENT", "content", "string", 0, ""),
    ("TERMS", "terms", "string", 0, ""),
    ("CLIENT_TITLE", "clientTitle", "string", 0, ""),
    ("CLIENT_ADDR", "clientAddr", "string", 0, ""),
    ("CLIENT_CONTACT", "clientContact", "string", 0, ""),
    ("CLIENT_EMAIL", "clientEmail", "string", 0, ""),
    ("CLIENT_PHONE", "clientPhone", "string", 0, ""),
    ("LEAD_ID", "leadId", "crm_lead", 0, ""),
    ("DEAL_ID", "dealId", "crm_deal", 0, ""),
    ("PERSON_TYPE_ID", "personTypeId", "integer", 0, ""),
    ("LOCATION_ID", "locationId", "location", 0, ""),
];

const ACTIVITY: &[Std] = &[
    ("ID", "id", "integer", RO, ""),
    ("OWNER_ID", "ownerId", "integer", R, ""),
    ("OWNER_TYPE_ID", "ownerTypeId", "integer", R, ""),
    ("TYPE_ID", "typeId", "crm_status", R, ""),
    ("PROVIDER_ID", "providerId", "string", 0, ""),
    ("PROVIDER_TYPE_ID", "providerTypeId", "string", 0, ""),
    ("SUBJECT", "subject", "string", 0, ""),
    ("START_TIME", "startTime", "datetime", 0, ""),
    ("END_TIME", "endTime", "datetime", 0, ""),
    ("DEADLINE", "deadline", "datetime", 0, ""),
    ("COMPLETED", "completed", "char", 0, ""),
    ("STATUS", "status", "crm_status", 0, ""),
    ("RESPONSIBLE_ID", "responsibleId", "user", 0, ""),
    ("PRIORITY", "priority", "crm_status", 0, ""),
    ("DESCRIPTION", "description", "string", 0, ""),
    ("DIRECTION", "direction", "crm_status", 0, ""),
    ("COMMUNICATIONS", "communications", "crm_multifield", M, ""),
    ("AUTHOR_ID", "authorId", "user", RO, ""),
    ("EDITOR_ID", "editorId", "user", RO, ""),
    ("CREATED", "created", "datetime", RO, ""),
    ("LAST_UPDATED", "lastUpdated", "datetime", RO, ""),
];

/// A smart process's or smart invoice's fields (`crm.item.fields`, §8).
const ITEM: &[Std] = &[
    ("ID", "id", "integer", RO, ""),
    ("XML_ID", "xmlId", "string", 0, ""),
    ("TITLE", "title", "string", 0, ""),
    ("CREATED_BY", "createdBy", "user", RO, ""),
    ("UPDATED_BY", "updatedBy", "user", RO, ""),
    ("MOVED_BY", "movedBy", "user", RO, ""),
    ("CREATED_TIME", "createdTime", "datetime", RO, ""),
    ("UPDATED_TIME", "updatedTime", "datetime", RO, ""),
    ("MOVED_TIME", "movedTime", "datetime", RO, ""),
    ("CATEGORY_ID", "categoryId", "crm_category", IM, ""),
    ("OPENED", "opened", "boolean", 0, ""),
    ("STAGE_ID", "stageId", "crm_status", 0, ""),
    ("PREVIOUS_STAGE_ID", "previousStageId", "crm_status", RO, ""),
    ("BEGINDATE", "begindate", "date", 0, ""),
    ("CLOSEDATE", "closedate", "date", 0, ""),
    ("COMPANY_ID", "companyId", "crm_company", 0, ""),
    ("CONTACT_ID", "contactId", "crm_contact", 0, ""),
    ("CONTACT_IDS", "contactIds", "crm_contact", M, ""),
    ("OPPORTUNITY", "opportunity", "double", 0, ""),
    ("IS_MANUAL_OPPORTUNITY", "isManualOpportunity", "boolean", 0, ""),
    ("TAX_VALUE", "taxValue", "double", 0, ""),
    ("CURRENCY_ID", "currencyId", "crm_currency", 0, ""),
    ("MYCOMPANY_ID", "mycompanyId", "crm_company", 0, ""),
    ("SOURCE_ID", "sourceId", "crm_status", 0, "SOURCE"),
    ("SOURCE_DESCRIPTION", "sourceDescription", "text", 0, ""),
    ("ASSIGNED_BY_ID", "assignedById", "user", 0, ""),
    ("OBSERVERS", "observers", "user", M, ""),
    ("WEBFORM_ID", "webformId", "integer", 0, ""),
    ("LAST_ACTIVITY_TIME", "lastActivityTime", "datetime", RO, ""),
    ("LAST_ACTIVITY_BY", "lastActivityBy", "user", RO, ""),
];

/// The declarations of `entity`, in order (the shared parts where they go).
fn declarations(entity: Entity) -> Vec<&'static Std> {
    let chain = |parts: &[&'static [Std]]| parts.iter().flat_map(|p| p.iter()).collect::<Vec<_>>();
    match entity {
        Entity::DEAL => chain(&[DEAL]),
        Entity::LEAD => chain(&[&LEAD[..2], PERSON, &LEAD[2..], TRACKED, MULTIFIELDS]),
        Entity::CONTACT => chain(&[&CONTACT[..1], PERSON, &CONTACT[1..], TRACKED, MULTIFIELDS]),
        Entity::COMPANY => chain(&[COMPANY, TRACKED, MULTIFIELDS]),
        Entity::QUOTE => chain(&[QUOTE, TRACKED]),
        Entity::ACTIVITY => chain(&[ACTIVITY]),
        _ => chain(&[ITEM]),
    }
}

/// The documented standard fields of `entity`, spelled as `form` spells them (the classic
/// methods `Upper`, `crm.item.*` `Camel`, with each field's `upperName`). A field
/// declared twice (a shared part and the object's own) is kept once, the first time.
pub fn schema(entity: Entity, form: NameForm) -> Schema {
    let mut fields = IndexMap::new();
    for &(upper, camel, ty, flags, status) in declarations(entity) {
        let name = match form {
            NameForm::Upper => upper,
            NameForm::Camel => camel,
        };
        if fields.contains_key(name) {
            continue;
        }
        fields.insert(
            name.to_owned(),
            Field {
                name: name.to_owned(),
                r#type: FieldType::parse(ty),
                is_required: flags & R != 0,
                is_read_only: flags & RO != 0,
                is_immutable: flags & IM != 0,
                is_multiple: flags & M != 0,
                is_dynamic: false,
                title: upper.to_owned(),
                upper_name: (form == NameForm::Camel).then(|| upper.to_owned()),
                status_type: (!status.is_empty()).then(|| status.to_owned()),
                items: Vec::new(),
            },
        );
    }
    Schema { form, fields }
}

/// Each standard field of `entity` by its two names: (classic, `crm.item`), in order,
/// each once.
pub fn names(entity: Entity) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    for &(upper, camel, ..) in declarations(entity) {
        if !out.iter().any(|(u, _)| *u == upper) {
            out.push((upper, camel));
        }
    }
    out
}

/// The entities with a `crm.<name>.*` family of their own (the rest go through `crm.item.*`).
pub const CLASSIC: &[Entity] = &[
    Entity::LEAD,
    Entity::DEAL,
    Entity::CONTACT,
    Entity::COMPANY,
    Entity::QUOTE,
    Entity::ACTIVITY,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_type_is_known_and_names_are_unique() {
        for entity in CLASSIC
            .iter()
            .copied()
            .chain([Entity::SMART_INVOICE, Entity::DYNAMIC(183)])
        {
            for form in [NameForm::Upper, NameForm::Camel] {
                let s = schema(entity, form);
                assert!(s.fields.len() >= 20, "{entity:?}");
                for f in s.fields.values() {
                    assert!(!matches!(f.r#type, FieldType::Other(_)), "{entity:?}.{}", f.name);
                }
                assert!(s
                    .fields
                    .values()
                    .any(|f| f.is_read_only && f.name.eq_ignore_ascii_case("id")));
            }
        }
        let deal = schema(Entity::DEAL, NameForm::Upper);
        assert!(deal.fields["CATEGORY_ID"].is_immutable);
        assert!(deal.fields["CONTACT_IDS"].is_multiple);
        assert_eq!(deal.fields["STAGE_ID"].status_type.as_deref(), Some("DEAL_STAGE"));
        assert_eq!(deal.fields.len(), 45);
        let item = schema(Entity::DEAL, NameForm::Camel);
        assert_eq!(
            item.fields["createdBy"].upper_name.as_deref(),
            Some("CREATED_BY_ID")
        );
        assert!(schema(Entity::CONTACT, NameForm::Upper).fields["PHONE"].is_multiple);
    }
}
