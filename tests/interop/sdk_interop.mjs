// The official OpenAI Node SDK against `batchdeck-cli simulate`: uploads (buffered with toFile and
// streamed from fs.createReadStream, which SDK 7 sends chunked), batch create with metadata,
// polling to completed, file content, list paging, cancel (and 409 on a finished batch), errors.
//
// usage: node sdk_interop.mjs <folder holding node_modules/openai> <batchdeck-cli> [extra simulate args...]
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

const [sdkFolder, cli, ...extraArgs] = process.argv.slice(2);
if (!sdkFolder || !cli) {
    console.error('usage: node sdk_interop.mjs <sdk folder> <batchdeck-cli> [simulate args]');
    process.exit(2);
}

const require = createRequire(path.join(path.resolve(sdkFolder), 'package.json'));
const sdk = await import(pathToFileURL(require.resolve('openai')).href);
const OpenAI = sdk.OpenAI ?? sdk.default?.OpenAI ?? sdk.default;
const toFile = sdk.toFile ?? sdk.default?.toFile;
const sdkVersion = JSON.parse(
    fs.readFileSync(path.join(path.resolve(sdkFolder), 'node_modules', 'openai', 'package.json'), 'utf8'),
).version;
console.log(`openai ${sdkVersion} on node ${process.version}`);

const apiKey = 'sk-interop-key';
const child = spawn(cli, ['simulate', '--listen', '127.0.0.1:0', '--phase-ms', '150', '--api-key', apiKey, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
});
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
const baseURL = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', (line) => {
        const match = /^simulator listening on (http:\/\/127\.0\.0\.1:\d+\/v1)$/.exec(line);
        match ? resolve(match[1]) : reject(new Error(`unexpected first line: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`batchdeck-cli simulate exited with ${code} before it was ready`)));
});
console.log(`simulator at ${baseURL}`);

const client = new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: 60_000 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function chatLine(customId, text) {
    return JSON.stringify({
        custom_id: customId,
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] },
    }) + '\n';
}

async function waitFor(id, statuses) {
    for (let attempt = 0; attempt < 2000; ++attempt) {
        const batch = await client.batches.retrieve(id);
        if (statuses.includes(batch.status)) return batch;
        await sleep(25);
    }
    throw new Error(`batch ${id} never reached ${statuses}`);
}

async function expectError(promise, status, ErrorClass) {
    try {
        await promise;
    } catch (error) {
        assert.equal(error.status, status);
        assert.ok(error instanceof ErrorClass, `${error.constructor.name} is not ${ErrorClass.name}`);
        assert.match(error.requestID ?? '', /^req_/);
        assert.equal(typeof error.error?.message, 'string');
        return error;
    }
    throw new Error(`expected HTTP ${status}`);
}

let failed = false;
try {
    let content = '';
    for (let i = 0; i < 12; ++i) content += chatLine(`req-${i}`, `Question ${i}`);
    content += chatLine('broken', 'please fail [[sim:fail:500]]');
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'batchdeck-interop-'));
    const inputPath = path.join(folder, 'streamed input.jsonl');
    fs.writeFileSync(inputPath, content);

    // Buffered upload with an expiry (SDK: expires_after[anchor], expires_after[seconds]).
    const buffered = await client.files.create({
        file: await toFile(Buffer.from(content), 'buffered.jsonl'),
        purpose: 'batch',
        expires_after: { anchor: 'created_at', seconds: 3600 },
    });
    assert.equal(buffered.object, 'file');
    assert.equal(buffered.filename, 'buffered.jsonl');
    assert.equal(buffered.bytes, Buffer.byteLength(content));
    assert.equal(buffered.expires_at - buffered.created_at, 3600);

    // Streamed upload: SDK 7 sends Transfer-Encoding: chunked with the file part first.
    const streamed = await client.files.create({ file: fs.createReadStream(inputPath), purpose: 'batch' });
    assert.equal(streamed.filename, 'streamed input.jsonl');
    assert.equal(streamed.bytes, Buffer.byteLength(content));
    assert.equal((await client.files.retrieve(streamed.id)).id, streamed.id);
    assert.equal(await (await client.files.content(streamed.id)).text(), content);

    // Create with metadata, poll to completed, read the results.
    const metadata = { job_id: '17', run_id: 'scheduled__2026-12-03T00:00:00+00:00' };
    const created = await client.batches.create({
        input_file_id: streamed.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
        metadata,
    });
    assert.equal(created.status, 'validating');
    assert.deepEqual(created.metadata, metadata);
    assert.equal(created.model, null);
    const done = await waitFor(created.id, ['completed']);
    assert.deepEqual(done.request_counts, { total: 13, completed: 12, failed: 1 });
    assert.ok(done.usage.total_tokens > 0);
    const output = (await (await client.files.content(done.output_file_id)).text()).trim().split('\n').map(JSON.parse);
    assert.equal(output.length, 12);
    assert.ok(output.every((line) => line.response.status_code === 200 && line.response.body.choices[0].message.content));
    const errors = (await (await client.files.content(done.error_file_id)).text()).trim().split('\n').map(JSON.parse);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].custom_id, 'broken');
    assert.equal(errors[0].response.status_code, 500);

    // Cancel right after create, and a 409 on a finished batch (maxRetries 0: no retry of 409).
    const toCancel = await client.batches.create({
        input_file_id: buffered.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
    });
    const cancelling = await client.batches.cancel(toCancel.id);
    assert.equal(cancelling.status, 'cancelling');
    const cancelled = await waitFor(toCancel.id, ['cancelled']);
    assert.ok(cancelled.cancelled_at >= cancelled.cancelling_at);
    await expectError(client.batches.cancel(done.id), 409, OpenAI.ConflictError);

    // List with paging: the SDK follows `after` = last id of each page until has_more is false.
    for (let i = 0; i < 3; ++i)
        await client.batches.create({ input_file_id: buffered.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const seen = [];
    for await (const batch of client.batches.list({ limit: 2 })) seen.push(batch.id);
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen).size, 5);
    assert.equal(seen[4], created.id); // newest first
    const firstPage = await client.batches.list({ limit: 2 });
    assert.equal(firstPage.data.length, 2);
    assert.equal(firstPage.has_more, true);

    const fileIds = [];
    for await (const file of client.files.list({ purpose: 'batch' })) fileIds.push(file.id);
    assert.deepEqual(fileIds.sort(), [buffered.id, streamed.id].sort());

    // Errors come back as the SDK's typed errors.
    await expectError(client.batches.retrieve('batch_doesnotexist'), 404, OpenAI.NotFoundError);
    await expectError(
        client.batches.create({ input_file_id: buffered.id, endpoint: '/v1/chat/completions', completion_window: '48h' }),
        400,
        OpenAI.BadRequestError,
    );
    const stranger = new OpenAI({ apiKey: 'sk-wrong', baseURL, maxRetries: 0 });
    await expectError(stranger.batches.list(), 401, OpenAI.AuthenticationError);

    const deleted = await client.files.delete(buffered.id);
    assert.equal(deleted.deleted, true);
    await expectError(client.files.retrieve(buffered.id), 404, OpenAI.NotFoundError);
    fs.rmSync(folder, { recursive: true, force: true });
    console.log(`openai ${sdkVersion}: all interop checks passed`);
} catch (error) {
    failed = true;
    console.error(error);
} finally {
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    if (code !== 0) {
        console.error(`batchdeck-cli simulate ended with code ${code} signal ${signal}`);
        failed = true;
    }
}
process.exit(failed ? 1 : 0);
