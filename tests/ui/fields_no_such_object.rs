use b24_widgets::crm::fields;

fn main() {
    let _ = fields!(update deals { TITLE: "x" });
    let _ = fields!(add company { COMPANY_TYPE: "CUSTOMER" });
}
