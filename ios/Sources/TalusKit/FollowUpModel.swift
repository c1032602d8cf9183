// J3/J8: after a session ended for severe pain, the programme is paused until a short
// follow-up screening says it is safe to go on. One question per screen with yes / no /
// not sure, like the first screening; the core decides whether the pause ends, stays, or a
// red flag locks.
import Foundation
import Observation

@MainActor
@Observable
public final class FollowUpModel {
    public private(set) var questions: [QuestionInfo] = []
    public private(set) var index = 0
    public private(set) var result: FollowUpInfo?
    public private(set) var errorMessage: String?
    @ObservationIgnored private var replies: [String: ScreeningReply] = [:]
    private let core: CoreService
    private let reminders: ReminderScheduler?

    public init(core: CoreService, reminders: ReminderScheduler?) {
        self.core = core
        self.reminders = reminders
    }

    public var current: QuestionInfo? {
        questions.indices.contains(index) ? questions[index] : nil
    }

    public var position: (number: Int, total: Int) {
        (min(index + 1, questions.count), questions.count)
    }

    public func load() async {
        questions = await core.followUpQuestions()
        index = 0
        replies = [:]
        result = nil
    }

    public func answer(_ reply: ScreeningReply) async {
        guard let question = current else { return }
        replies[question.id] = reply
        if index + 1 < questions.count {
            index += 1
            return
        }
        do {
            let answers = questions.map { OnboardingModel.coreAnswer($0.id, replies[$0.id] ?? .notSure) }
            result = try await core.submitFollowUp(answers)
            errorMessage = nil
            try await reminders?.reconcile()
        } catch {
            errorMessage = describe(error)
        }
    }

    public func back() {
        if index > 0 { index -= 1 }
    }
}

extension FollowUpModel: Identifiable {
    public nonisolated var id: ObjectIdentifier { ObjectIdentifier(self) }
}
