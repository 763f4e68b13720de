//! Settings, Diary at the desk: a room added, a person's hours saved and then enforced by the
//! store, hours typed wrong said so and kept, a retired room no longer offered or bookable.

use egui_kittest::kittest::Queryable;
use needlepoint::domain::diary::{Booking, Placement, TimeSpan};
use needlepoint::store::StoreError;
use needlepoint::ui::views::diary_settings as view;

use crate::common::ui::{app_on, type_into};
use crate::common::{date, lead, temp_db, LEAD};

#[test]
fn rooms_and_hours_are_set_up_in_settings_and_the_store_keeps_to_them() {
    let db = temp_db();
    let mut h = app_on(&db, date("2026-11-23"), 900.0);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    h.run();
    h.get_by_label("Diary").click();
    h.run();
    h.get_by_label_contains("No rooms yet");
    type_into(&mut h, view::ROOM_NAME_LABEL, "Treatment room");
    h.get_by_label(view::ADD_ROOM_LABEL).click();
    h.run();
    h.state_mut().wait_for_background_work();
    h.run();
    let rooms = h.state().store().rooms().unwrap();
    assert_eq!(
        rooms.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["Treatment room"]
    );

    // Monday's hours typed wrong: said so, nothing saved, the typing kept.
    let monday = view::hours_label(LEAD, 0);
    type_into(&mut h, &monday, "9 till 5");
    h.get_by_label(view::SAVE_HOURS_LABEL).click();
    h.run();
    h.get_by_label_contains("is not working hours. Write them as 08:30-18:00.");
    assert!(h.state().store().working_hours().unwrap().is_empty());
    assert_eq!(h.get_by_label(&monday).value().as_deref(), Some("9 till 5"));
    h.get_by_label(&monday).focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label(&monday).type_text("09:00-13:00");
    h.run();
    h.get_by_label(view::SAVE_HOURS_LABEL).click();
    h.run();
    let hours = h.state().store().working_hours().unwrap();
    assert_eq!(hours.len(), 1);
    assert_eq!(
        (hours[0].weekday, hours[0].span.start, hours[0].span.end()),
        (1, 540, 780)
    );

    // Monday afternoon is now outside the lead's hours: the store asks for a reason.
    let mut store = needlepoint::store::Store::open(&db.path).unwrap();
    let client = crate::common::client("Ada Lovelace", "1985-12-10", None);
    let booking = Booking {
        client_id: client.id,
        session_id: None,
        treatment: "consultation".to_owned(),
        place: Placement {
            day: date("2026-11-23"),
            span: TimeSpan {
                start: 14 * 60,
                minutes: 30,
            },
            practitioner: lead().staff.unwrap(),
            room: rooms[0].id,
            device: None,
        },
        notes: String::new(),
        override_reason: None,
        interval_reason: None,
    };
    let refused = store
        .write(lead(), |w| {
            w.insert_client(&client)?;
            w.book(&booking, date("2026-11-23"))
        })
        .unwrap_err();
    assert!(matches!(refused, StoreError::NeedsReason(_)), "{refused}");
    assert!(
        refused
            .to_string()
            .contains("their hours that day are 09:00–13:00"),
        "{refused}"
    );

    // A retired room cannot be booked.
    drop(store);
    h.get_by_label(view::RETIRE_LABEL).click();
    h.run();
    let mut store = needlepoint::store::Store::open(&db.path).unwrap();
    let mut morning = booking.clone();
    morning.place.span.start = 600;
    let retired = store
        .write(lead(), |w| {
            w.insert_client(&client)?;
            w.book(&morning, date("2026-11-23"))
        })
        .unwrap_err();
    assert!(retired.to_string().contains("That room is retired"), "{retired}");
}
