/// An append-only buffer of plain values that the reader fills while libyaml parses: an append
/// is a capacity check and a store, without the uniqueness check and the generic path of
/// `Array.append`, which cost more than libyaml's own work per event.
///
/// Not copyable: its one owner frees the memory (`deinit`). The parse that fills it hands it over
/// to the `YAMLTree` it builds, which only reads it from then on (hence `Sendable`).
struct GrowableBuffer<Element: BitwiseCopyable>: ~Copyable, @unchecked Sendable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// The number of elements appended.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    /// The element at `index` (which must be below `count`).
    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "index out of range")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "index out of range")
            base[index] = newValue
        }
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: count + 1) }
        (base + count).initialize(to: element)
        count += 1
    }

    mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        guard let source = elements.baseAddress, !elements.isEmpty else { return }
        if count + elements.count > capacity { grow(to: count + elements.count) }
        (base + count).initialize(from: source, count: elements.count)
        count += elements.count
    }

    /// Appends elements `start..<count` of `other`.
    mutating func append(suffixOf other: borrowing GrowableBuffer<Element>, from start: Int) {
        precondition(start >= 0 && start <= other.count, "index out of range")
        append(contentsOf: UnsafeBufferPointer(start: other.base + start, count: other.count - start))
    }

    /// Drops the last `k` elements.
    mutating func removeLast(_ k: Int) {
        precondition(k >= 0 && k <= count, "cannot remove more elements than there are")
        count -= k
    }

    /// Calls `body` with the elements appended so far.
    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    deinit {
        base.deallocate()
    }

    private mutating func grow(to needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
