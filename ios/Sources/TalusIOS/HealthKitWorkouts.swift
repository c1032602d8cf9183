// Running workouts from HealthKit behind WorkoutSource: read access is asked when the
// runner turns run import on; an HKObserverQuery with background delivery wakes the app
// when workouts change; an anchored query returns what changed since the persisted anchor
// (NSKeyedArchiver data of HKQueryAnchor). Read denial looks like "no workouts" by design.
#if os(iOS)
import Foundation
import HealthKit
import TalusKit

public final class HealthKitWorkouts: WorkoutSource, @unchecked Sendable {
    private let store = HKHealthStore()
    private var observer: HKObserverQuery?

    public init() {}

    public var isAvailable: Bool { HKHealthStore.isHealthDataAvailable() }

    public func requestAuthorization() async throws {
        guard isAvailable else { return }
        try await store.requestAuthorization(
            toShare: [], read: [HKObjectType.workoutType(), HKQuantityType(.distanceWalkingRunning)])
    }

    public func changes(since anchor: Data?) async throws -> WorkoutChanges {
        guard isAvailable else { return WorkoutChanges(added: [], deletedIds: [], newAnchor: anchor) }
        let previous = anchor.flatMap {
            try? NSKeyedUnarchiver.unarchivedObject(ofClass: HKQueryAnchor.self, from: $0)
        }
        let descriptor = HKAnchoredObjectQueryDescriptor(predicates: [.workout()], anchor: previous)
        let result = try await descriptor.result(for: store)
        let added = result.addedSamples.map { workout in
            WorkoutSample(
                uuid: workout.uuid.uuidString,
                startMs: Int64((workout.startDate.timeIntervalSince1970 * 1000).rounded()),
                endMs: Int64((workout.endDate.timeIntervalSince1970 * 1000).rounded()),
                distanceM: workout.statistics(for: HKQuantityType(.distanceWalkingRunning))?
                    .sumQuantity()?.doubleValue(for: .meter()),
                isRunning: workout.workoutActivityType == .running,
                zone: workout.metadata?[HKMetadataKeyTimeZone] as? String)
        }
        let next = try NSKeyedArchiver.archivedData(withRootObject: result.newAnchor, requiringSecureCoding: true)
        return WorkoutChanges(
            added: added, deletedIds: result.deletedObjects.map { $0.uuid.uuidString }, newAnchor: next)
    }

    /// Registers the observer and background delivery; call on every launch while import is on.
    public func startObserving(_ onChange: @escaping @Sendable () async -> Void) {
        guard isAvailable, observer == nil else { return }
        let query = HKObserverQuery(sampleType: HKObjectType.workoutType(), predicate: nil) { _, done, error in
            guard error == nil else {
                done()
                return
            }
            // HealthKit waits for `done` before delivering again; call it after importing.
            Task {
                await onChange()
                done()
            }
        }
        observer = query
        store.execute(query)
        store.enableBackgroundDelivery(for: HKObjectType.workoutType(), frequency: .immediate) { _, _ in }
    }
}
#endif
