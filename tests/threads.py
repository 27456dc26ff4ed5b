import threading

from django.db import connections


def run_at_once(attempts, *, expected=()):
    """Run each callable in its own thread and connection, released together by a barrier.

    Return their results in order; an exception of an `expected` type is returned as the
    result, any other one is lost with its thread, so the results show it as None.
    """
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)

    def worker(index, attempt):
        try:
            barrier.wait()
            outcomes[index] = attempt()
        except expected as error:
            outcomes[index] = error
        finally:
            # Each thread opened its own connection; the test's flush needs them closed.
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
