import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';

/** Which number of days a cost view covers: one button per choice. */
export function WindowToggle({
  choices,
  days,
  onChange,
}: {
  choices: number[];
  days: number;
  onChange: (days: number) => void;
}) {
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={days}
      onChange={(_, value) => value && onChange(value)}
      aria-label="Window"
    >
      {choices.map(choice => (
        <ToggleButton key={choice} value={choice}>
          {choice} days
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
