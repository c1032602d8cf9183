// Words for the core's closed sets, each an exhaustive `when` with no `else`: a case the
// core adds breaks the build here instead of showing a raw name. The words are in ShellText.
package app.talus.shell

import app.talus.core.Equipment
import app.talus.core.MorningStatus
import app.talus.core.PlanVariant
import app.talus.core.ReminderKind
import app.talus.core.SessionStatus
import app.talus.core.Step
import app.talus.core.Target

object Labels {
    fun step(step: Step): Key = when (step) {
        Step.NOT_STARTED -> Key.StepNotStarted
        Step.INTRO -> Key.StepIntro
        Step.WORK -> Key.StepWork
        Step.END_RANGE_PAUSE -> Key.StepEndRangePause
        Step.SIDE_SWITCH -> Key.StepSideSwitch
        Step.PAIN_CHECK -> Key.StepPainCheck
        Step.REST -> Key.StepRest
        Step.SUMMARY -> Key.StepSummary
    }

    fun variant(variant: PlanVariant): Key = when (variant) {
        PlanVariant.NORMAL -> Key.VariantNormal
        PlanVariant.LIGHT -> Key.VariantLight
        PlanVariant.MOBILITY_ONLY -> Key.VariantMobilityOnly
        PlanVariant.RECOVERY -> Key.VariantRecovery
        PlanVariant.REST -> Key.VariantRest
        PlanVariant.LOCKED -> Key.VariantLocked
    }

    fun status(status: SessionStatus): Key = when (status) {
        SessionStatus.PLANNED -> Key.StatusPlanned
        SessionStatus.STARTED -> Key.StatusStarted
        SessionStatus.PAUSED -> Key.StatusPaused
        SessionStatus.FINISHED -> Key.StatusFinished
        SessionStatus.ABANDONED -> Key.StatusAbandoned
    }

    fun morning(status: MorningStatus): Key = when (status) {
        MorningStatus.GREEN -> Key.MorningGreen
        MorningStatus.AMBER -> Key.MorningAmber
        MorningStatus.RED -> Key.MorningRed
    }

    fun equipment(item: Equipment): Key = when (item) {
        Equipment.WALL -> Key.EqWall
        Equipment.BAND -> Key.EqBand
        Equipment.STEP -> Key.EqStep
        Equipment.CHAIR -> Key.EqChair
        Equipment.BACKPACK -> Key.EqBackpack
        Equipment.BALL -> Key.EqBall
        Equipment.TOWEL -> Key.EqTowel
        Equipment.FOAM -> Key.EqFoam
        Equipment.TAPE -> Key.EqTape
    }

    fun goal(target: Target): Key = when (target) {
        Target.DORSIFLEXION -> Key.GoalDorsiflexion
        Target.SUBTALAR -> Key.GoalSubtalar
        Target.MIDFOOT -> Key.GoalMidfoot
        Target.CALF -> Key.GoalCalf
        Target.SOLEUS -> Key.GoalSoleus
        Target.ACHILLES -> Key.GoalAchilles
        Target.PLANTAR_FASCIA -> Key.GoalPlantarFascia
        Target.HALLUX -> Key.GoalHallux
        Target.BALANCE -> Key.GoalBalance
        Target.STRENGTH -> Key.GoalStrength
    }

    /** One notification channel per kind of reminder (the runner can mute each). */
    fun channel(kind: ReminderKind): Key = when (kind) {
        ReminderKind.LONG_RUN_CHECK_IN, ReminderKind.LONG_RUN_REASK -> Key.ChannelCheckIn
        ReminderKind.DAILY_DRILLS -> Key.ChannelDrills
        ReminderKind.ROM_RETEST -> Key.ChannelRetest
    }
}
