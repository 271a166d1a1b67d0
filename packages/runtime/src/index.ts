// The run runtime: queues, leases, live events and cancels, and the worker that executes runs.
export {};
