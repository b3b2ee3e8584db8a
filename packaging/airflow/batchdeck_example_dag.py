"""Batchdeck from Airflow: submit a run's items as an LLM batch, wait for it, store the results.

Three tasks over Batchdeck's HTTP API (`batchdeck-cli serve`, see the README, "Airflow"):

    submit_batch  (HttpOperator)  POST /pipeline/{run_id}/submit-batch/{batch_type}
    wait_for_batch (HttpSensor)   GET  /pipeline/{run_id}/batch-job-status/{batch_type}
    process_results (HttpOperator) POST /pipeline/{run_id}/process-batch-results/{batch_type}

The Airflow connection `batchdeck` (type HTTP) holds the server and the token:

    airflow connections add batchdeck --conn-type http --conn-host 127.0.0.1 --conn-port 8080 \
        --conn-extra '{"Authorization": "Bearer <the server's BATCHDECK_API_TOKEN>"}'

HttpHook sends the connection's extra fields as headers, so the token never appears in the DAG.

Every call is safe to repeat, which is what Airflow's retries need: a submit of a job that was
submitted already answers 200 "skipped" with the same llm_batch_id (no second batch), a process of
a processed job answers 200 "skipped" with the same counts. While another worker holds the submit
(409 submission_in_progress) the task fails and its retry finds the job submitted.

The items of the run must be in Batchdeck first: an upstream task POSTs them to
/pipeline/{run_id}/items, or `batchdeck-cli import` loads a file.

tests/http/tst_serveprocess.cpp plays these requests, in this order and with these endpoints (it
reads them from this file), against a real `batchdeck-cli serve`.
"""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.exceptions import AirflowFailException

try:  # apache-airflow-providers-http >= 4.8
    from airflow.providers.http.operators.http import HttpOperator
except ImportError:  # older providers name it SimpleHttpOperator
    from airflow.providers.http.operators.http import SimpleHttpOperator as HttpOperator
from airflow.providers.http.sensors.http import HttpSensor

CONN_ID = "batchdeck"
BATCH_TYPE = "summarize"

# Airflow run ids hold ":" and "+" ("scheduled__2026-12-03T00:00:00+00:00"); Batchdeck takes them
# percent-encoded or not. urlencode keeps them one path segment whatever they hold.
SUBMIT_ENDPOINT = "pipeline/{{ run_id | urlencode }}/submit-batch/" + BATCH_TYPE
STATUS_ENDPOINT = "pipeline/{{ run_id | urlencode }}/batch-job-status/" + BATCH_TYPE
PROCESS_ENDPOINT = "pipeline/{{ run_id | urlencode }}/process-batch-results/" + BATCH_TYPE


def batch_is_done(response) -> bool:
    """The sensor's response_check: True once the provider is done; a failed batch fails the task
    at once (no point in poking until the timeout), with Batchdeck's reason."""
    body = response.json()
    if not body["terminal"]:
        return False
    if body["llm_status"] == "failed":
        error = body.get("error") or {}
        raise AirflowFailException(
            "the batch failed ({}): {}".format(error.get("code", "unknown"), error.get("message", "no reason given"))
        )
    return True


def batch_id_of(response) -> str:
    """submit_batch's XCom: the provider batch id (the same one on a repeated submit)."""
    return response.json()["llm_batch_id"]


def counts_of(response) -> dict:
    """process_results' XCom: what was stored, for the next task of the pipeline."""
    body = response.json()
    return {"status": body["status"], "results_saved": body["results_saved"], "errors": body["errors"]}


with DAG(
    dag_id="batchdeck_example",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 12, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=1)},
    tags=["batchdeck", "llm"],
) as dag:
    submit_batch = HttpOperator(
        task_id="submit_batch",
        http_conn_id=CONN_ID,
        method="POST",
        endpoint=SUBMIT_ENDPOINT,
        response_filter=batch_id_of,
        log_response=True,
    )

    wait_for_batch = HttpSensor(
        task_id="wait_for_batch",
        http_conn_id=CONN_ID,
        method="GET",
        endpoint=STATUS_ENDPOINT,
        response_check=batch_is_done,
        # A server that is starting or cannot reach its database answers 503 with Retry-After:
        # keep poking instead of failing.
        response_error_codes_allowlist=["503"],
        mode="reschedule",
        poke_interval=60,
        timeout=int(timedelta(hours=26).total_seconds()),  # the provider's 24 h window and some
    )

    process_results = HttpOperator(
        task_id="process_results",
        http_conn_id=CONN_ID,
        method="POST",
        endpoint=PROCESS_ENDPOINT,
        response_filter=counts_of,
        log_response=True,
    )

    submit_batch >> wait_for_batch >> process_results
