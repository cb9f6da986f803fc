use b24_widgets::crm::fields;

fn main() {
    let vip = "yes";
    let closes = 20261231u32;
    let _ = fields!(update deal {
        UF_CRM_VIP: vip,
        CLOSEDATE: closes,
    });
}
