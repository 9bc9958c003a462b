import type { SessionView } from '../../../engine/index.js';
import type { Layout } from '../layout.js';
import type { ProgressBoard } from '../model.js';
import { BriefingPanel } from './BriefingPanel.js';
import { ChecksPanel } from './ChecksPanel.js';
import { FailurePanel } from './FailurePanel.js';
import { HintsPanel } from './HintsPanel.js';
import { ProgressPanel } from './ProgressPanel.js';
import { ServicesPanel } from './ServicesPanel.js';

export interface MainColumnProps {
  layout: Pick<Layout, 'mainWidth' | 'briefing' | 'services' | 'checks' | 'hints'>;
  /** Why the lab is not up, when it is not: shown instead of the briefing. */
  failure: { reason: string; next: string } | undefined;
  /** The briefing, or once solved the debrief (with the learner's timeline and what is next). */
  briefText: string;
  solved: boolean;
  view: SessionView | undefined;
  host: string;
  logService: string | undefined;
  /** Build and deploy progress replaces the checks while the lab changes. */
  showBoard: boolean;
  board: ProgressBoard;
  now: number;
}

/** The main column: briefing (or debrief, or why the lab is not up), services, checks, hints. */
export function MainColumn(props: MainColumnProps) {
  const { layout, failure, view, solved } = props;
  return (
    <>
      {failure ? (
        <FailurePanel reason={failure.reason} next={failure.next} width={layout.mainWidth} maxLines={layout.briefing} />
      ) : (
        <BriefingPanel
          markdown={props.briefText}
          kind={solved ? 'debrief' : 'briefing'}
          width={layout.mainWidth}
          maxLines={layout.briefing}
        />
      )}
      <ServicesPanel
        services={view?.services ?? []}
        host={props.host}
        logService={props.logService}
        release={view?.release}
        width={layout.mainWidth}
        maxLines={layout.services}
      />
      {props.showBoard ? (
        <ProgressPanel board={props.board} width={layout.mainWidth} maxLines={layout.checks} />
      ) : (
        <ChecksPanel
          report={view?.lastReport}
          stale={view?.lastReportStale === true}
          width={layout.mainWidth}
          maxLines={layout.checks}
        />
      )}
      {solved ? null : <HintsPanel view={view} now={props.now} width={layout.mainWidth} maxLines={layout.hints} />}
    </>
  );
}
