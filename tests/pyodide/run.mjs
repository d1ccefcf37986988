// Loads Pyodide once, installs the xlwings wheel for it, loads main.py as xlwings Lite does and makes every call
// on standard input (a JSON array of {func_name, args, ...} as Office.js sends them) in one go.
//
//   node run.mjs PYODIDE_DIR XLWINGS_WHEEL LITE_RUNTIME_PY MAIN_PY < calls.json > results.json
//
// Prints one JSON object: {environment, seconds, meta, results}. Pyodide's own messages go to standard error.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, runtimePy, mainPy] = process.argv.slice(2);
const log = (text) => process.stderr.write(`${text}\n`);
const started = performance.now();
const input = [];
for await (const chunk of process.stdin) input.push(chunk); // readFileSync(0) fails with EAGAIN on a large pipe
const calls = JSON.parse(Buffer.concat(input).toString("utf8"));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ stdout: log, stderr: log });
await pyodide.loadPackage(wheel, { messageCallback: log, errorCallback: log });
const loaded = performance.now();

pyodide.runPython(readFileSync(runtimePy, "utf8"), { filename: "lite_runtime.py" });
const lite = pyodide.globals;
// Python's JSON text is passed on untouched: parsed and written again by JavaScript, 1.0 would become 1.
const meta = lite.get("load_main")(readFileSync(mainPy, "utf8"));
const results = [];
for (const data of calls) {
  // A plain JS object, as Excel's custom-functions runtime hands it to Python (converted there with to_py()).
  results.push(await lite.get("call")(data));
}
const environment = { ...JSON.parse(lite.get("environment")()), pyodide: pyodide.version, node: process.version };
const seconds = { load: (loaded - started) / 1000, calls: (performance.now() - loaded) / 1000 };
process.stdout.write(`{"environment": ${JSON.stringify(environment)}, "seconds": ${JSON.stringify(seconds)}, ` +
  `"meta": ${meta}, "results": [${results.join(", ")}]}`);
