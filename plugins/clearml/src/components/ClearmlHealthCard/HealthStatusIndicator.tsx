import { ComponentType, PropsWithChildren } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { HealthStatus } from '@clearml-openshift/plugin-clearml-common';

interface StatusDisplay {
  label: string;
  Icon: ComponentType<PropsWithChildren<{}>>;
}

/** How each health status looks: Backstage's own status icons, so the card reads like the rest of the app. */
export const STATUS_DISPLAY: Record<HealthStatus, StatusDisplay> = {
  healthy: { label: 'Healthy', Icon: StatusOK },
  progressing: { label: 'Progressing', Icon: StatusPending },
  degraded: { label: 'Degraded', Icon: StatusWarning },
  down: { label: 'Down', Icon: StatusError },
  unknown: { label: 'Unknown', Icon: StatusAborted },
};

/** A status a newer backend may send that this card does not know is shown as unknown, not as a crash. */
export function statusDisplay(status: string): StatusDisplay {
  return STATUS_DISPLAY[status as HealthStatus] ?? STATUS_DISPLAY.unknown;
}

export function HealthStatusIndicator(props: { status: HealthStatus }) {
  const { label, Icon } = statusDisplay(props.status);
  return <Icon>{label}</Icon>;
}
