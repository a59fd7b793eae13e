import { useEffect, useState } from "react";
import { completeSignIn, session, signIn } from "./api";
import { Board } from "./Board";
import { Capture } from "./Capture";
import { Contact } from "./Contact";
import { Funnel } from "./Funnel";
import { LanguageContext, texts, type Language } from "./i18n";

/** The route is the hash (#/board, #/contacts/{id}, #/capture, #/funnel), so the gateway serves one page. */
function useRoute(): string {
  const [route, setRoute] = useState(window.location.hash.slice(1) || "/board");
  useEffect(() => {
    const changed = () => setRoute(window.location.hash.slice(1) || "/board");
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export function App() {
  const [language, setLanguage] = useState<Language>((localStorage.getItem("funnel.language") as Language) ?? "en");
  const [user, setUser] = useState(session.user());
  const route = useRoute();
  useEffect(() => {
    void completeSignIn().then((signedIn) => signedIn && setUser(session.user()));
  }, []);
  const t = texts[language];
  useEffect(() => {
    document.documentElement.lang = language;
    localStorage.setItem("funnel.language", language);
  }, [language]);

  return (
    <LanguageContext.Provider value={{ language, t }}>
      <header>
        <strong>{t.appName}</strong>
        {user && (
          <nav aria-label="main">
            <a href="#/board">{t.board}</a>
            <a href="#/capture">{t.capture}</a>
            <a href="#/funnel">{t.funnel}</a>
          </nav>
        )}
        <label>
          {t.language}{" "}
          <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            <option value="en">English</option>
            <option value="pl">Polski</option>
          </select>
        </label>
        {user && (
          <span>
            {user.sub} ({user.role === "manager" ? t.manager : t.salesperson}){" "}
            <button onClick={() => { session.signOut(); setUser(undefined); }}>{t.signOut}</button>
          </span>
        )}
      </header>
      <main>
        {!user ? (
          <SignIn />
        ) : route.startsWith("/contacts/") ? (
          <Contact id={route.split("/")[2]!} key={route} />
        ) : route === "/capture" ? (
          <Capture />
        ) : route === "/funnel" ? (
          <Funnel manager={user.role === "manager"} />
        ) : (
          <Board manager={user.role === "manager"} />
        )}
      </main>
    </LanguageContext.Provider>
  );
}

function SignIn() {
  const t = texts[(document.documentElement.lang as Language) || "en"];
  return (
    <section className="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t.signIn}</h1>
      <p>{t.signInWhere}</p>
      <button onClick={() => void signIn()}>{t.signIn}</button>
    </section>
  );
}
