import type { Problem } from "./api";
import { useTexts } from "./i18n";

/** A refused request in words a salesperson understands: the tasks still to do, a stale edit, the fields to fix. */
export function ProblemMessage({ problem }: { problem: Problem | undefined }) {
  const { t } = useTexts();
  if (!problem) return null;
  const unmet = problem.unmet ?? [];
  return (
    <div role="alert" className="problem">
      {problem.status === 409 && unmet.length > 0 ? (
        <>
          <strong>{t.blocked}</strong>
          <ul>{unmet.map((task) => <li key={task}>{t.tasks[task] ?? task}</li>)}</ul>
        </>
      ) : problem.status === 412 ? (
        <strong>{t.stale412}</strong>
      ) : problem.status === 404 ? (
        <strong>{t.notFound}</strong>
      ) : (
        <>
          <strong>{t.failed}: {problem.title}</strong>
          {problem.detail && <p>{problem.detail}</p>}
          {problem.errors && (
            <ul>
              {Object.entries(problem.errors).map(([field, messages]) => (
                <li key={field}>{field}: {messages.join(" ")}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
