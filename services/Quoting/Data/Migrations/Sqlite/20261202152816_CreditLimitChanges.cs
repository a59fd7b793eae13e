using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Quoting.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CreditLimitChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CreditSequence",
                table: "opportunities",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CreditSequence",
                table: "opportunities");
        }
    }
}
