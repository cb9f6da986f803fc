use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            more: link { text: "More", action: redirrect("/crm/") },
        },
    };
}
