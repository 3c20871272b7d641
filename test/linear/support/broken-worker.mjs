// A worker module that fails as it loads, as a worker that cannot start would.
throw new Error('this worker cannot start');
