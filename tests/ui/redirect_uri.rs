use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            l: link { text: "Open Deal", action: redirect { uri: "/crm/deal/details/123/" } },
        },
    };
}
