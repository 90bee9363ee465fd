// The multipart phase of an upload (issue 8: busboy replaced the hand-written parser): a 20 MB
// PDF in a multipart body, fed in 64 KiB pieces (what a socket gives) through `receiveFile`
// (parse, size cap, type sniffing, SHA-256, encrypted spool file) — against a baseline in the
// same run that does the same work on the bare bytes (no multipart: sniff, hash, spool).
// No database: the transaction that copies the spool into it is measured by download.bench.ts
// (its "upload" figure). Run: npx tsx bench/upload.bench.ts (BENCH_RUNS, default 7).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSpool } from '../server/src/features/attachments/spool.ts';
import { createTypeDetector } from '../server/src/features/attachments/sniff.ts';
import { receiveFile } from '../server/src/features/attachments/upload.ts';
import { encodeMultipart } from '../server/src/features/attachments/multipart.ts';

const SIZE = 20 * 1024 * 1024;
const PIECE = 64 * 1024;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BOUNDARY = '----WebKitFormBoundary7MA4YWxkTrZu0gW';

const file = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(SIZE - 9)]);
const body = Buffer.from(encodeMultipart(file, 'verslag.pdf', BOUNDARY));
const pieces = (buf: Buffer) => Array.from({ length: Math.ceil(buf.length / PIECE) }, (_, i) => buf.subarray(i * PIECE, (i + 1) * PIECE));
const bodyPieces = pieces(body);
const filePieces = pieces(file);
async function* feed(list: Buffer[]) {
  for (const p of list) yield p;
}

async function parsed(): Promise<number> {
  const spool = await createSpool();
  const t0 = performance.now();
  const got = await receiveFile(spool, { body: feed(bodyPieces), boundary: BOUNDARY, maxBytes: 25 * 1024 * 1024 });
  const ms = performance.now() - t0;
  await spool.dispose();
  if (got.size !== SIZE) throw new Error(`parsed ${got.size} bytes, expected ${SIZE}`);
  return ms;
}

async function bare(): Promise<number> {
  const spool = await createSpool();
  const t0 = performance.now();
  const hash = createHash('sha256');
  const detector = createTypeDetector();
  for await (const p of feed(filePieces)) {
    hash.update(p);
    detector.push(p);
    await spool.write(p);
  }
  if (!detector.finish()) throw new Error('not a PDF');
  hash.digest('hex');
  const ms = performance.now() - t0;
  await spool.dispose();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbps = (ms: number) => SIZE / 2 ** 20 / (ms / 1000);

await parsed(); // warm-up
await bare();
const route: number[] = [];
const base: number[] = [];
for (let i = 0; i < RUNS; i++) {
  route.push(await parsed()); // alternated, so load on the machine hits both alike
  base.push(await bare());
}
const result = { sizeMb: SIZE / 2 ** 20, pieceKb: PIECE / 1024, runs: RUNS, receiveFileMbps: mbps(median(route)), baselineMbps: mbps(median(base)) };
console.log(`20 MB multipart body in 64 KiB pieces: receiveFile ${result.receiveFileMbps.toFixed(0)} MB/s, baseline (no multipart) ${result.baselineMbps.toFixed(0)} MB/s → ${((100 * result.receiveFileMbps) / result.baselineMbps).toFixed(0)} % (median of ${RUNS})`);
mkdirSync(resolve('bench/results'), { recursive: true });
writeFileSync(resolve('bench/results/upload.json'), JSON.stringify(result, null, 2));
