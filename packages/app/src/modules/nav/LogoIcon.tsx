import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: { width: 28, height: 28, flexShrink: 0 },
});

/** Quillstack's mark: a quill-tipped Q. */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 32 32"
      role="img"
      aria-label="Quillstack"
    >
      <rect width="32" height="32" rx="7" fill="#7df3e1" />
      <circle
        cx="15"
        cy="15"
        r="8"
        fill="none"
        stroke="#171717"
        strokeWidth="3.5"
      />
      <path
        d="M18 18 L26 26"
        stroke="#171717"
        strokeWidth="3.5"
        strokeLinecap="round"
      />
    </svg>
  );
};
