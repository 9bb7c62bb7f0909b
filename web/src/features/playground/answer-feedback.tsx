import { useMutation } from "@tanstack/react-query";
import { QuoteIcon, ThumbsDownIcon, ThumbsUpIcon } from "lucide-react";
import * as React from "react";
import { useTranslation } from "react-i18next";
import { cn } from "@/lib/utils";
import { type Feedback, rateAnswer } from "./api";

/**
 * The discreet mark of an answer made without a model: quoted from the documents. Owners and
 * admins also read how to have a model write answers.
 */
export function QuotedMark({ canConfigure }: { canConfigure: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="grid gap-0.5 text-xs text-muted-foreground">
      <p className="inline-flex items-center gap-1" title={t("playground.quotedHelp")}>
        <QuoteIcon className="size-3" aria-hidden />
        <span>{t("playground.quoted")}</span>
        <span className="sr-only">: {t("playground.quotedHelp")}</span>
      </p>
      {canConfigure && <p>{t("playground.enableModel")}</p>}
    </div>
  );
}

/**
 * Thumbs up and down on an answer, with an optional comment. The last rating stands; it can be
 * changed at any time, and the comment is kept when only the thumb changes.
 */
export function AnswerFeedback({
  answer,
  initial,
}: {
  answer: { assistantId: string; conversationId: string; messageId: string };
  initial: Feedback | null;
}) {
  const { t } = useTranslation();
  const [feedback, setFeedback] = React.useState<Feedback | null>(initial);
  const [commenting, setCommenting] = React.useState(false);
  const [comment, setComment] = React.useState(initial?.comment ?? "");
  const commentId = React.useId();
  const save = useMutation({
    mutationFn: (input: { rating: Feedback["rating"]; comment?: string | null }) =>
      rateAnswer({ ...answer, ...input }),
    onSuccess: (saved) => {
      setFeedback(saved);
      setComment(saved.comment ?? "");
    },
  });
  const thumb = (rating: Feedback["rating"], label: string, Icon: typeof ThumbsUpIcon) => (
    <button
      type="button"
      aria-label={label}
      title={label}
      aria-pressed={feedback?.rating === rating}
      disabled={save.isPending}
      onClick={() => {
        save.mutate({ rating });
        if (rating === "down") setCommenting(true);
      }}
      className={cn(
        "inline-flex size-7 items-center justify-center rounded-md text-muted-foreground transition-colors hover:bg-accent hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50",
        feedback?.rating === rating && "bg-accent text-foreground",
      )}
    >
      <Icon className="size-3.5" aria-hidden />
    </button>
  );
  return (
    <div className="grid gap-1.5">
      <fieldset
        className="m-0 flex min-w-0 flex-wrap items-center gap-1 border-0 p-0"
        aria-label={t("playground.rateAnswer")}
      >
        {thumb("up", t("playground.helpful"), ThumbsUpIcon)}
        {thumb("down", t("playground.notHelpful"), ThumbsDownIcon)}
        {feedback && !commenting && (
          <button
            type="button"
            className="ml-1 text-xs text-muted-foreground hover:text-foreground hover:underline"
            onClick={() => setCommenting(true)}
          >
            {t("playground.addComment")}
          </button>
        )}
        <span className="ml-1 text-xs text-muted-foreground" role="status">
          {save.isError
            ? t("playground.feedbackFailed")
            : save.isSuccess
              ? t("playground.feedbackSaved")
              : ""}
        </span>
      </fieldset>
      {commenting && feedback && (
        <form
          className="flex max-w-md items-center gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate({ rating: feedback.rating, comment: comment.trim() || null });
            setCommenting(false);
          }}
        >
          <label htmlFor={commentId} className="sr-only">
            {t("playground.comment")}
          </label>
          <input
            id={commentId}
            value={comment}
            maxLength={2000}
            onChange={(event) => setComment(event.target.value)}
            placeholder={t("playground.commentPlaceholder")}
            className="h-8 min-w-0 flex-1 rounded-md border bg-background px-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring"
          />
          <button
            type="submit"
            disabled={save.isPending}
            className="h-8 rounded-md bg-primary px-3 text-xs font-medium text-primary-foreground hover:bg-primary/90 disabled:opacity-50"
          >
            {t("playground.sendComment")}
          </button>
        </form>
      )}
    </div>
  );
}
