// The one door from the shell into the Rust core. Every core call that may touch disk runs
// on this actor's executor, never on the main actor, so screens stay responsive while the
// store writes (the API documents which calls touch disk). The core decides; this file only
// turns the shell's clock and language into arguments and hands the records back.
import Foundation

public actor CoreService {
    public nonisolated let engine: Engine
    public nonisolated let clock: any ShellClock

    /// Opens (creating or migrating) the profile in `directory`. Opening reads and may
    /// migrate the database: call it from a task, never from synchronous main-actor code.
    public init(directory: URL, clock: any ShellClock) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.engine = try Engine.open(profileDir: directory.path, nowMs: clock.nowMs())
        self.clock = clock
    }

    /// The default profile folder: Application Support/talus-profile.
    public static func defaultDirectory() throws -> URL {
        let base = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        return base.appendingPathComponent("talus-profile", isDirectory: true)
    }

    public func openInfo() -> OpenInfo { engine.openInfo() }

    // MARK: Safety

    public func screeningQuestions() -> [QuestionInfo] {
        engine.screeningQuestions(locale: clock.locale())
    }

    public func submitScreening(_ answers: [Answer]) throws -> SafetyInfo {
        try engine.submitScreening(answers: answers, nowMs: clock.nowMs())
    }

    /// The runner confirms who cleared them and on which local date (`YYYY-MM-DD`).
    public func confirmClearance(clinician: String, seenOn: String) throws -> SafetyInfo {
        try engine.confirmClinicianClearance(
            clinician: clinician, seenOn: seenOn, nowMs: clock.nowMs(), zone: clock.zone())
    }

    /// Clear, locked (which red flags), paused after severe pain, or cleared (by whom).
    public func safetyState() throws -> SafetyInfo {
        try engine.safetyState()
    }

    /// The short follow-up screening after a severe-pain stop, in the runner's language.
    public func followUpQuestions() -> [QuestionInfo] {
        engine.followUpQuestions(locale: clock.locale())
    }

    /// All "no": the pause ends; "yes"/"not sure" keeps it, or locks on a red flag.
    public func submitFollowUp(_ answers: [Answer]) throws -> FollowUpInfo {
        try engine.submitFollowUp(answers: answers, nowMs: clock.nowMs())
    }

    // MARK: Plan and session

    public func today() throws -> PlanInfo {
        try engine.today(nowMs: clock.nowMs(), zone: clock.zone())
    }

    public func startSession() throws -> GuidedSession {
        try engine.startSession(nowMs: clock.nowMs(), zone: clock.zone())
    }

    public func resumeSession() throws -> GuidedSession? {
        try engine.resumeSession()
    }

    /// Forwards one event; the core may write a snapshot, hence off the main actor.
    public func handle(_ session: GuidedSession, _ event: SessionEvent) throws -> FrameInfo {
        try session.handle(event: event, nowMs: clock.nowMs())
    }

    /// A countdown reached its deadline (`FrameInfo.deadlineMs`): the same as
    /// `handle(session, .tick)`, one trip across the FFI shorter; the seconds before it are
    /// counted by the view model without a call (ADR 0014 addendum).
    public func tick(_ session: GuidedSession) throws -> FrameInfo {
        try session.tick(nowMs: clock.nowMs())
    }

    /// Throws `InvalidInput` only for a device clock outside 1970–2200.
    public func frame(_ session: GuidedSession) throws -> FrameInfo {
        try session.frame(nowMs: clock.nowMs())
    }

    /// The catalog in the runner's language.
    public func drills() -> [DrillInfo] {
        engine.drills(locale: clock.locale())
    }

    public func drill(id: String) throws -> DrillInfo {
        try engine.drill(id: id, locale: clock.locale())
    }

    // MARK: Check-ins, runs, knee-to-wall

    public func morningCheckin(_ checkin: CheckInInput) throws -> MorningInfo {
        try engine.morningCheckin(checkin: checkin, nowMs: clock.nowMs())
    }

    public func recordRun(_ run: RunInput) throws -> RunIngest {
        try engine.recordRun(run: run, nowMs: clock.nowMs())
    }

    public func runs(fromMs: Int64, toMs: Int64) throws -> [RunInfo] {
        try engine.runs(fromMs: fromMs, toMs: toMs)
    }

    public func recordKneeToWall(side: Side, cm: Double) throws -> RomPoint {
        let now = clock.nowMs()
        return try engine.recordKneeToWall(side: side, cm: cm, atMs: now, zone: clock.zone(), nowMs: now)
    }

    public func kneeToWallSeries(side: Side) throws -> [RomPoint] {
        try engine.kneeToWallSeries(side: side)
    }

    public func recentSessions(limit: Int) throws -> [SessionInfo] {
        try engine.recentSessions(limit: numericCast(limit))
    }

    /// The knee-to-wall screen: both sides with their results and the core's verdicts
    /// (real change against the MDC, asymmetry flag, retest due).
    public func kneeToWallReport() throws -> KneeToWallReport {
        try engine.kneeToWallReport(nowMs: clock.nowMs())
    }

    public func checkins(fromMs: Int64, toMs: Int64) throws -> [CheckInInfo] {
        try engine.checkins(fromMs: fromMs, toMs: toMs)
    }

    /// Runs newest first, each with whether it counted as long and why.
    public func runHistory(fromMs: Int64, toMs: Int64) throws -> [RunDetail] {
        try engine.runHistory(fromMs: fromMs, toMs: toMs)
    }

    // MARK: Corrections (each syncs to the runner's other devices)

    public func correctRun(id: String, _ run: RunInput) throws -> RunInfo {
        try engine.correctRun(id: id, run: run, nowMs: clock.nowMs())
    }

    public func deleteCheckin(id: String) throws {
        try engine.deleteCheckin(id: id, nowMs: clock.nowMs())
    }

    public func deleteSession(id: String) throws {
        try engine.deleteSession(sessionId: id, nowMs: clock.nowMs())
    }

    public func deleteRun(id: String) throws {
        try engine.deleteRun(runId: id, nowMs: clock.nowMs())
    }

    public func deleteKneeToWall(id: String) throws {
        try engine.deleteKneeToWall(romId: id, nowMs: clock.nowMs())
    }

    // MARK: Settings

    public func settings() throws -> SettingsInfo {
        try engine.settings()
    }

    public func setSettings(_ settings: SettingsInfo) throws {
        try engine.setSettings(settings: settings, nowMs: clock.nowMs())
    }

    // MARK: Reminders

    public func reconcileReminders(pending: [PendingReminder]) throws -> ReminderPlan {
        try engine.reconcileReminders(pending: pending, nowMs: clock.nowMs(), zone: clock.zone())
    }

    // MARK: Sync, backup, export

    public func syncFolder(_ dir: URL) throws -> SyncReport {
        try engine.syncFolder(dir: dir.path, nowMs: clock.nowMs())
    }

    public func writeBackup(into dir: URL) throws -> String {
        try engine.writeBackup(dir: dir.path)
    }

    public func restoreBackup(from dir: URL) throws -> SyncReport {
        try engine.restoreBackup(dir: dir.path, nowMs: clock.nowMs())
    }

    public func clinicianExport(fromMs: Int64, toMs: Int64) throws -> ClinicianExport {
        try engine.clinicianExport(fromMs: fromMs, toMs: toMs, zone: clock.zone())
    }
}
