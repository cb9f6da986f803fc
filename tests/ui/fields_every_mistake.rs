use b24_widgets::crm::fields;

fn main() {
    // a misspelt field, a read-only one, a user field in crm.item's spelling, a label
    // that is not one of the enumeration's, an amount that is no number: all at once
    let _ = fields!(update deal {
        TITEL: "Delivery",
        ID: 5,
        ufCrm_VIP: "Y",
        UF_CRM_LEVEL: "Platinum",
        OPPORTUNITY: "lots",
        CATEGORY_ID: 1,
    });
}
