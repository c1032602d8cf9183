// Words for the core's closed sets, each an exhaustive switch: a case the core adds breaks
// the build here instead of showing a raw name. The words live in ShellText (en/de).
import Foundation

public enum Labels {
    public static func step(_ step: Step) -> ShellKey {
        switch step {
        case .notStarted: return .stepNotStarted
        case .intro: return .stepIntro
        case .work: return .stepWork
        case .endRangePause: return .stepEndRangePause
        case .sideSwitch: return .stepSideSwitch
        case .painCheck: return .stepPainCheck
        case .rest: return .stepRest
        case .summary: return .stepSummary
        }
    }

    public static func variant(_ variant: PlanVariant) -> ShellKey {
        switch variant {
        case .normal: return .variantNormal
        case .light: return .variantLight
        case .mobilityOnly: return .variantMobilityOnly
        case .recovery: return .variantRecovery
        case .rest: return .variantRest
        case .locked: return .variantLocked
        }
    }

    public static func status(_ status: SessionStatus) -> ShellKey {
        switch status {
        case .planned: return .statusPlanned
        case .started: return .statusStarted
        case .paused: return .statusPaused
        case .finished: return .statusFinished
        case .abandoned: return .statusAbandoned
        }
    }

    public static func morning(_ status: MorningStatus) -> ShellKey {
        switch status {
        case .green: return .morningGreen
        case .amber: return .morningAmber
        case .red: return .morningRed
        }
    }

    public static func equipment(_ item: Equipment) -> ShellKey {
        switch item {
        case .wall: return .eqWall
        case .band: return .eqBand
        case .step: return .eqStep
        case .chair: return .eqChair
        case .backpack: return .eqBackpack
        case .ball: return .eqBall
        case .towel: return .eqTowel
        case .foam: return .eqFoam
        case .tape: return .eqTape
        }
    }

    public static func goal(_ target: Target) -> ShellKey {
        switch target {
        case .dorsiflexion: return .goalDorsiflexion
        case .subtalar: return .goalSubtalar
        case .midfoot: return .goalMidfoot
        case .calf: return .goalCalf
        case .soleus: return .goalSoleus
        case .achilles: return .goalAchilles
        case .plantarFascia: return .goalPlantarFascia
        case .hallux: return .goalHallux
        case .balance: return .goalBalance
        case .strength: return .goalStrength
        }
    }
}

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
