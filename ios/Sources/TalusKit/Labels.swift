// The core's closed sets as the shell needs them. Their words come from the core
// (`Step.label(locale:)` and friends); what stays here is the mapping from a reminder's
// kind to the notification category whose actions it offers, an exhaustive switch so a new
// kind breaks the build instead of arriving without buttons.
import Foundation

extension NotificationCategory {
    /// The category (and so the actions) of a reminder, by the kind the core gave it.
    public init(kind: ReminderKind) {
        switch kind {
        case .longRunCheckIn, .longRunReask: self = .checkIn
        case .dailyDrills: self = .drills
        case .romRetest: self = .retest
        }
    }
}
