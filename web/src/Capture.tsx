import { useState } from "react";
import { api, type Problem, type Schemas } from "./api";
import { useTexts } from "./i18n";
import { ProblemMessage } from "./Problem";

/** A new lead by hand (field errors from the 400 beside their fields), or many from a CSV file with its progress. */
export function Capture() {
  return (
    <>
      <LeadForm />
      <ImportForm />
    </>
  );
}

function LeadForm() {
  const { t } = useTexts();
  const [fields, setFields] = useState({ name: "", company: "", email: "", phone: "", notes: "" });
  const [source, setSource] = useState<Schemas["LeadSource"]>("web");
  const [problem, setProblem] = useState<Problem>();
  const set = (field: keyof typeof fields) => (e: React.ChangeEvent<HTMLInputElement>) => setFields({ ...fields, [field]: e.target.value });
  const errorOf = (field: string) => problem?.errors?.[field]?.join(" ");

  async function capture(event: React.FormEvent) {
    event.preventDefault();
    setProblem(undefined);
    const { data, error, response } = await api.POST("/api/leads", {
      body: {
        name: fields.name,
        company: fields.company || null,
        email: fields.email || null,
        phone: fields.phone || null,
        notes: fields.notes || null,
        source,
      },
    });
    if (error) {
      setProblem({ ...error, status: response.status });
      return;
    }
    window.location.hash = `#/contacts/${data.contactId}`;
  }

  const field = (name: keyof typeof fields, label: string, type = "text") => (
    <div>
      <label>
        {label}
        <input name={name} type={type} value={fields[name]} onChange={set(name)} aria-invalid={errorOf(name) ? true : undefined}
          aria-describedby={errorOf(name) ? `${name}-error` : undefined} />
      </label>
      {errorOf(name) && <span id={`${name}-error`} className="field-error">{errorOf(name)}</span>}
    </div>
  );

  return (
    <form onSubmit={capture} className="card narrow" aria-labelledby="capture-title" noValidate>
      <h1 id="capture-title">{t.capture}</h1>
      {field("name", t.name)}
      {field("company", t.company)}
      {field("email", t.email, "email")}
      {field("phone", t.phone, "tel")}
      <label>
        {t.source}
        <select value={source} onChange={(e) => setSource(e.target.value as Schemas["LeadSource"])}>
          {(["convention", "referral", "directory", "web", "import", "other"] as const).map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      {field("notes", t.notes)}
      {problem && !problem.errors && <ProblemMessage problem={problem} />}
      <button type="submit">{t.save}</button>
    </form>
  );
}

function ImportForm() {
  const { t } = useTexts();
  const [file, setFile] = useState<File>();
  const [qualify, setQualify] = useState(false);
  const [progress, setProgress] = useState<Schemas["ImportProgress"]>();
  const [results, setResults] = useState<Schemas["ImportRowResult"][]>([]);
  const [problem, setProblem] = useState<Problem>();

  async function upload(event: React.FormEvent) {
    event.preventDefault();
    if (!file) return;
    setProblem(undefined);
    setResults([]);
    // Always asynchronous, so any import shows its progress.
    const answer = await fetch(`/api/leads/import?qualify=${qualify}`, {
      method: "POST",
      headers: { "Content-Type": "text/csv", Prefer: "respond-async", Authorization: `Bearer ${sessionStorage.getItem("funnel.token")}` },
      body: await file.text(),
    });
    if (!answer.ok) {
      setProblem({ ...(await answer.json()), status: answer.status });
      return;
    }
    const importId = ((await answer.json()) as { importId: string }).importId;
    for (;;) {
      const { data } = await api.GET("/api/leads/imports/{importId}", { params: { path: { importId }, query: { pageSize: 200 } } });
      if (!data) return;
      setProgress(data);
      if (data.status !== "running") {
        setResults(data.results?.items ?? []);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  return (
    <form onSubmit={upload} className="card narrow" aria-labelledby="import-title">
      <h2 id="import-title">{t.import}</h2>
      <label>{t.chooseFile}<input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0])} required /></label>
      <label className="check"><input type="checkbox" checked={qualify} onChange={(e) => setQualify(e.target.checked)} /> {t.qualifyToo}</label>
      <button type="submit">{t.upload}</button>
      <ProblemMessage problem={problem} />
      {progress && (
        <div>
          <progress max={progress.rows || 1} value={progress.processed} aria-label={t.import} />
          <p>
            {progress.processed} / {progress.rows} {t.processed} · {progress.imported} {t.imported} · {progress.qualified} {t.qualified} ·{" "}
            {progress.duplicates} {t.duplicates} · {progress.rejected} {t.rejected}
          </p>
        </div>
      )}
      {results.length > 0 && (
        <table>
          <thead><tr><th>{t.row}</th><th>{t.outcome}</th><th></th></tr></thead>
          <tbody>
            {results.map((row) => (
              <tr key={row.row}>
                <td>{row.row}</td>
                <td>{row.outcome}</td>
                <td>{row.contactId ? <a href={`#/contacts/${row.contactId}`}>{t.open}</a> : Object.values(row.errors ?? {}).flat().join(" ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </form>
  );
}
