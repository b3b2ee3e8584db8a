"""Loads packaging/airflow/batchdeck_example_dag.py with Airflow stubbed out (Airflow cannot be
installed here) and checks what the DAG declares and what its callables do with the answers of
Batchdeck's API. tst_serveprocess plays the same requests against a real server."""
import importlib.util
import json
import sys
import types
import urllib.parse

created = []


class AirflowFailException(Exception):
    pass


class Operator:
    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.downstream = []
        created.append(self)

    def __rshift__(self, other):
        self.downstream.append(other)
        return other


class DAG:
    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def stub(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module


stub("airflow", DAG=DAG)
stub("airflow.exceptions", AirflowFailException=AirflowFailException)
stub("airflow.providers")
stub("airflow.providers.http")
stub("airflow.providers.http.operators")
stub("airflow.providers.http.operators.http", HttpOperator=type("HttpOperator", (Operator,), {}))
stub("airflow.providers.http.sensors")
stub("airflow.providers.http.sensors.http", HttpSensor=type("HttpSensor", (Operator,), {}))
stub("pendulum", datetime=lambda *args, **kwargs: (args, kwargs))

spec = importlib.util.spec_from_file_location("dag", sys.argv[1])
dag = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dag)


class Response:
    def __init__(self, body):
        self.body = body

    def json(self):
        return self.body


submit, wait, process = created
assert [op.kwargs["task_id"] for op in created] == ["submit_batch", "wait_for_batch", "process_results"]
assert submit.downstream == [wait] and wait.downstream == [process]
assert submit.kwargs["method"] == "POST" and process.kwargs["method"] == "POST" and wait.kwargs["method"] == "GET"
assert wait.kwargs["mode"] == "reschedule"
assert wait.kwargs["response_error_codes_allowlist"] == ["503"]
assert all(op.kwargs["http_conn_id"] == "batchdeck" for op in created)

check = wait.kwargs["response_check"]
assert check(Response({"terminal": False, "llm_status": "in_progress"})) is False
assert check(Response({"terminal": True, "llm_status": "completed"})) is True
try:
    check(Response({"terminal": True, "llm_status": "failed",
                    "error": {"code": "expired", "message": "the provider batch batch_1 ended expired"}}))
    raise SystemExit("a failed batch must fail the sensor")
except AirflowFailException as failure:
    assert "ended expired" in str(failure), failure

assert submit.kwargs["response_filter"](Response({"status": "skipped", "llm_batch_id": "batch_9"})) == "batch_9"
assert process.kwargs["response_filter"](Response({"status": "processed", "results_saved": 5, "errors": 1})) == {
    "status": "processed", "results_saved": 5, "errors": 1}

# The endpoints as Airflow renders them (Jinja's urlencode quotes everything but "/").
run_id = "scheduled__2026-12-03T00:00:00+00:00"
rendered = [op.kwargs["endpoint"].replace("{{ run_id | urlencode }}", urllib.parse.quote(run_id, safe="/"))
            for op in created]
print(json.dumps(rendered))
